# sources of core/config (owner: that folder)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/organismconfig.h ${CMAKE_CURRENT_LIST_DIR}/organismconfig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configerror.h
    ${CMAKE_CURRENT_LIST_DIR}/configloader.h ${CMAKE_CURRENT_LIST_DIR}/configloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/yamlreader.h ${CMAKE_CURRENT_LIST_DIR}/yamlreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/organismreader.h ${CMAKE_CURRENT_LIST_DIR}/organismreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/payloadsreader.h ${CMAKE_CURRENT_LIST_DIR}/payloadsreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/listenersreader.h ${CMAKE_CURRENT_LIST_DIR}/listenersreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/handlerreader.h ${CMAKE_CURRENT_LIST_DIR}/handlerreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/llmreader.h ${CMAKE_CURRENT_LIST_DIR}/llmreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/budgetsreader.h ${CMAKE_CURRENT_LIST_DIR}/budgetsreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/apireader.h ${CMAKE_CURRENT_LIST_DIR}/apireader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyconfigreader.h ${CMAKE_CURRENT_LIST_DIR}/historyconfigreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/suggestion.h ${CMAKE_CURRENT_LIST_DIR}/suggestion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/execcommand.h ${CMAKE_CURRENT_LIST_DIR}/execcommand.cpp
    ${CMAKE_CURRENT_LIST_DIR}/yamlerrortranslator.h ${CMAKE_CURRENT_LIST_DIR}/yamlerrortranslator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/misplacedkeys.h ${CMAKE_CURRENT_LIST_DIR}/misplacedkeys.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scriptedreplies.h ${CMAKE_CURRENT_LIST_DIR}/scriptedreplies.cpp)
