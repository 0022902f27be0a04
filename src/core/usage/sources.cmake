target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/pricetable.h ${CMAKE_CURRENT_LIST_DIR}/pricetable.cpp
    ${CMAKE_CURRENT_LIST_DIR}/usagetracker.h ${CMAKE_CURRENT_LIST_DIR}/usagetracker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/budgetregistry.h ${CMAKE_CURRENT_LIST_DIR}/budgetregistry.cpp)
