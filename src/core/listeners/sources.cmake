target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/listener.h ${CMAKE_CURRENT_LIST_DIR}/listener.cpp)
