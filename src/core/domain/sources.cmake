target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/states.h ${CMAKE_CURRENT_LIST_DIR}/states.cpp
    ${CMAKE_CURRENT_LIST_DIR}/result.h
    ${CMAKE_CURRENT_LIST_DIR}/payload.h
    ${CMAKE_CURRENT_LIST_DIR}/records.h
    ${CMAKE_CURRENT_LIST_DIR}/usage.h
    ${CMAKE_CURRENT_LIST_DIR}/llmactivity.h
    ${CMAKE_CURRENT_LIST_DIR}/handlerstats.h ${CMAKE_CURRENT_LIST_DIR}/handlerstats.cpp
    ${CMAKE_CURRENT_LIST_DIR}/queries.h
    ${CMAKE_CURRENT_LIST_DIR}/historyinstance.h
    ${CMAKE_CURRENT_LIST_DIR}/historybilling.h
    ${CMAKE_CURRENT_LIST_DIR}/historyhealth.h
    ${CMAKE_CURRENT_LIST_DIR}/usagequeries.h
    ${CMAKE_CURRENT_LIST_DIR}/budgets.h
    ${CMAKE_CURRENT_LIST_DIR}/usagecounters.h
    ${CMAKE_CURRENT_LIST_DIR}/trace.h ${CMAKE_CURRENT_LIST_DIR}/trace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ids.h ${CMAKE_CURRENT_LIST_DIR}/ids.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timestamps.h ${CMAKE_CURRENT_LIST_DIR}/timestamps.cpp)
