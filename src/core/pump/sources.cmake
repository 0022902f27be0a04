target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/admissioncontrol.h ${CMAKE_CURRENT_LIST_DIR}/admissioncontrol.cpp
    ${CMAKE_CURRENT_LIST_DIR}/loadmeter.h ${CMAKE_CURRENT_LIST_DIR}/loadmeter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messagerouter.h ${CMAKE_CURRENT_LIST_DIR}/messagerouter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/messagepump.h ${CMAKE_CURRENT_LIST_DIR}/messagepump.cpp)
