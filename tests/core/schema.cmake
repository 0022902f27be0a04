# tests for core/schema
