"""Spiders: discovery and crawling only; extraction lives in newscrawl.extract."""
