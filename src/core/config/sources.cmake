# sources of core/config (owner: that folder)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/organismconfig.h ${CMAKE_CURRENT_LIST_DIR}/organismconfig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configloader.h ${CMAKE_CURRENT_LIST_DIR}/configloader.cpp)
