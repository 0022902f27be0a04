agentdesk_add_test(tst_organism SOURCES tst_organism.cpp LIBS agentdesk_core)
