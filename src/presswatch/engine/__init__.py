"""Engine: runs the stages over many pages, in-process (local) or on a Dask cluster."""
