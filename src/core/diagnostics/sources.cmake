target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/logfloodguard.h ${CMAKE_CURRENT_LIST_DIR}/logfloodguard.cpp)
