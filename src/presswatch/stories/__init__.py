"""Stories (who else covered this?) and narratives (where have we heard this before?)."""

from presswatch.stories.narratives import NarrativeAssigner, cluster_narratives
from presswatch.stories.stories import StoryAssigner, cluster_stories

__all__ = ["NarrativeAssigner", "StoryAssigner", "cluster_narratives", "cluster_stories"]
