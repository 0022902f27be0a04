target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/pricetable.h ${CMAKE_CURRENT_LIST_DIR}/pricetable.cpp
    ${CMAKE_CURRENT_LIST_DIR}/usagetracker.h ${CMAKE_CURRENT_LIST_DIR}/usagetracker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reservation.h
    ${CMAKE_CURRENT_LIST_DIR}/budgetlevels.h
    ${CMAKE_CURRENT_LIST_DIR}/budgetregistry.h ${CMAKE_CURRENT_LIST_DIR}/budgetregistry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scopebudgets.h ${CMAKE_CURRENT_LIST_DIR}/scopebudgets.cpp
    ${CMAKE_CURRENT_LIST_DIR}/budgetgate.h ${CMAKE_CURRENT_LIST_DIR}/budgetgate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/usageledger.h ${CMAKE_CURRENT_LIST_DIR}/usageledger.cpp)
# The bundled price list (resources/llm/prices.yaml), read by PriceTable from :/agentdesk/llm/.
qt_add_resources(agentdesk_core "llm_prices"
    PREFIX "/agentdesk/llm"
    BASE ${PROJECT_SOURCE_DIR}/resources/llm
    FILES ${PROJECT_SOURCE_DIR}/resources/llm/prices.yaml)
