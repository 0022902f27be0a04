# tests for core/schema
agentdesk_add_test(tst_schemaregistry SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_schemaregistry.cpp LIBS agentdesk_core)
