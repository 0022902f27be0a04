# tests for core/organism
