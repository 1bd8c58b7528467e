"""Engine: runs the stages over many pages (in-process, in worker processes or on a Dask cluster),
keeps the corpus-wide outputs up to date, collects from sources and delivers alerts."""
