# tests for core/config
agentdesk_add_test(tst_configloader SOURCES config/tst_configloader.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_yamlerrortranslator SOURCES config/tst_yamlerrortranslator.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_loaderfeedback SOURCES config/tst_loaderfeedback.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_yamlreader SOURCES config/tst_yamlreader.cpp LIBS agentdesk_core yaml-cpp)
agentdesk_add_test(tst_payloadsreader SOURCES config/tst_payloadsreader.cpp LIBS agentdesk_core yaml-cpp)
agentdesk_add_test(tst_listenersreader SOURCES config/tst_listenersreader.cpp LIBS agentdesk_core yaml-cpp)
