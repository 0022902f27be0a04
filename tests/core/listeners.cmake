# tests for core/listeners
