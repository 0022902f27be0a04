target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/llmclient.h ${CMAKE_CURRENT_LIST_DIR}/llmclient.cpp
    ${CMAKE_CURRENT_LIST_DIR}/partialcoalescer.h ${CMAKE_CURRENT_LIST_DIR}/partialcoalescer.cpp)
