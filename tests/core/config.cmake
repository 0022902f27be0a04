# tests for core/config
agentdesk_add_test(tst_configloader SOURCES tst_configloader.cpp LIBS agentdesk_core)
