"""Test and demo data: a synthetic, labelled corpus of enforcement decisions."""

from gongshi.testing.corpus import GoldSpan, LabelledCase, demo_intakes, generate

__all__ = ["GoldSpan", "LabelledCase", "demo_intakes", "generate"]
