"""Handling assistance (办案辅助, AI-1): similar decided cases, the suggested benchmark tier, the
applicable articles and a draft reasoning paragraph. Nothing here decides: it informs the officer."""
