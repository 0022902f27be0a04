# sources of core/config (owner: that folder)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/organismconfig.h ${CMAKE_CURRENT_LIST_DIR}/organismconfig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configloader.h ${CMAKE_CURRENT_LIST_DIR}/configloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/suggestion.h ${CMAKE_CURRENT_LIST_DIR}/suggestion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/execcommand.h ${CMAKE_CURRENT_LIST_DIR}/execcommand.cpp
    ${CMAKE_CURRENT_LIST_DIR}/yamlerrortranslator.h ${CMAKE_CURRENT_LIST_DIR}/yamlerrortranslator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/misplacedkeys.h ${CMAKE_CURRENT_LIST_DIR}/misplacedkeys.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scriptedreplies.h ${CMAKE_CURRENT_LIST_DIR}/scriptedreplies.cpp)
