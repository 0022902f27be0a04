# tests for core/diagnostics
agentdesk_add_test(tst_logfloodguard SOURCES diagnostics/tst_logfloodguard.cpp LIBS agentdesk_core)
