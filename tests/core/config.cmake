# tests for core/config
