# tests for core/domain
agentdesk_add_test(tst_ids SOURCES domain/tst_ids.cpp LIBS agentdesk_core)
