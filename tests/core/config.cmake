# tests for core/config
agentdesk_add_test(tst_configloader SOURCES tst_configloader.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_yamlerrortranslator SOURCES config/tst_yamlerrortranslator.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_loaderfeedback SOURCES config/tst_loaderfeedback.cpp LIBS agentdesk_core)
