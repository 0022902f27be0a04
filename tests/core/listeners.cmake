# tests for core/listeners
agentdesk_add_test(tst_framedchannel SOURCES tst_framedchannel.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_execprotocol SOURCES tst_execprotocol.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_execlistener SOURCES tst_execlistener.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_agentlistener SOURCES listeners/tst_agentlistener.cpp LIBS agentdesk_core)
