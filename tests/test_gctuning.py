"""GcTuning: at engine start, the heap built so far leaves the collector's sight and the youngest
generation is collected less often."""
from __future__ import annotations

import gc

from scrapy.utils.test import get_crawler

from newscrawl.gctuning import YOUNG_THRESHOLD, GcTuning


def test_engine_start_freezes_the_start_up_heap_and_raises_the_young_threshold():
    before = gc.get_threshold()
    extension = GcTuning.from_crawler(get_crawler())
    try:
        gc.unfreeze()
        extension.engine_started()
        assert gc.get_freeze_count() > 1000  # modules, classes, functions built before the crawl
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_crawl_settings_enable_it():
    from newscrawl import settings

    assert "newscrawl.gctuning.GcTuning" in settings.EXTENSIONS


def test_it_can_be_turned_off():
    import pytest
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_GC_TUNING": False}))
