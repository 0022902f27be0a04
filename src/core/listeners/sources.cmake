target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/listener.h ${CMAKE_CURRENT_LIST_DIR}/listener.cpp
    ${CMAKE_CURRENT_LIST_DIR}/builtinlistener.h ${CMAKE_CURRENT_LIST_DIR}/builtinlistener.cpp)
# exec: listeners (external handler processes)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/framedchannel.h ${CMAKE_CURRENT_LIST_DIR}/framedchannel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/execprotocol.h ${CMAKE_CURRENT_LIST_DIR}/execprotocol.cpp
    ${CMAKE_CURRENT_LIST_DIR}/execlistener.h ${CMAKE_CURRENT_LIST_DIR}/execlistener.cpp)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/agentlistener.h ${CMAKE_CURRENT_LIST_DIR}/agentlistener.cpp)
