# sources of core/schema (owner: that folder)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/schemaregistry.h ${CMAKE_CURRENT_LIST_DIR}/schemaregistry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schemamodel.h ${CMAKE_CURRENT_LIST_DIR}/schemamodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/xsdwriter.h ${CMAKE_CURRENT_LIST_DIR}/xsdwriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonschemawriter.h ${CMAKE_CURRENT_LIST_DIR}/jsonschemawriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/canonicalxml.h ${CMAKE_CURRENT_LIST_DIR}/canonicalxml.cpp
    ${CMAKE_CURRENT_LIST_DIR}/numbertext.h ${CMAKE_CURRENT_LIST_DIR}/numbertext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/payloadbuilder.h ${CMAKE_CURRENT_LIST_DIR}/payloadbuilder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/payloadreader.h ${CMAKE_CURRENT_LIST_DIR}/payloadreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compiledschema.h ${CMAKE_CURRENT_LIST_DIR}/compiledschema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/xmlruntime.h ${CMAKE_CURRENT_LIST_DIR}/xmlruntime.cpp)
