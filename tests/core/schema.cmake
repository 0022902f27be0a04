# tests for core/schema
agentdesk_add_test(tst_schemaregistry SOURCES schema/tst_schemaregistry.cpp LIBS agentdesk_test_payloadtypes)
# agentdesk::test::payloadType: declared payload types from "name:type" lines, for tests that build a SchemaRegistry.
add_library(agentdesk_test_payloadtypes INTERFACE)
target_sources(agentdesk_test_payloadtypes INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/support/payloadtypes.h)
target_include_directories(agentdesk_test_payloadtypes INTERFACE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(agentdesk_test_payloadtypes INTERFACE agentdesk_core)
