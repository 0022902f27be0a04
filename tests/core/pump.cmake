# tests for core/pump
