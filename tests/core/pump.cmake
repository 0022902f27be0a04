agentdesk_add_test(tst_messagepump SOURCES pump/tst_messagepump.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_loadmeter SOURCES pump/tst_loadmeter.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_messagerouter SOURCES pump/tst_messagerouter.cpp LIBS agentdesk_core)
