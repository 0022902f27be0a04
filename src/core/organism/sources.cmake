# The Organism facade's parts (organism.h is the facade; organism/organismprivate.h ties these together).
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/organismprivate.h ${CMAKE_CURRENT_LIST_DIR}/organismprivate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/intake.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lifecycle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/agentroster.h ${CMAKE_CURRENT_LIST_DIR}/agentroster.cpp
    ${CMAKE_CURRENT_LIST_DIR}/threadbook.h ${CMAKE_CURRENT_LIST_DIR}/threadbook.cpp
    ${CMAKE_CURRENT_LIST_DIR}/changebatcher.h ${CMAKE_CURRENT_LIST_DIR}/changebatcher.cpp
    ${CMAKE_CURRENT_LIST_DIR}/listenerfactory.h ${CMAKE_CURRENT_LIST_DIR}/listenerfactory.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reloadplanner.h ${CMAKE_CURRENT_LIST_DIR}/reloadplanner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deliveryretries.h ${CMAKE_CURRENT_LIST_DIR}/deliveryretries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/budgetwarnings.h ${CMAKE_CURRENT_LIST_DIR}/budgetwarnings.cpp)
