# sources of core/store (owner: that folder)
# The store uses the SQLite handle that the QSQLITE driver exposes (the writer's prepared inserts, the
# reader's Unicode case-insensitive search function), so it links the system libsqlite3 the Qt plugin uses.
pkg_check_modules(AGENTDESK_SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
target_link_libraries(agentdesk_core PRIVATE PkgConfig::AGENTDESK_SQLITE3)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/filesystemprobe.h ${CMAKE_CURRENT_LIST_DIR}/filesystemprobe.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historycodec.h ${CMAKE_CURRENT_LIST_DIR}/historycodec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/storelogging.h ${CMAKE_CURRENT_LIST_DIR}/storelogging.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyreader.h ${CMAKE_CURRENT_LIST_DIR}/historyreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyschema.h ${CMAKE_CURRENT_LIST_DIR}/historyschema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historysqlwriter.h ${CMAKE_CURRENT_LIST_DIR}/historysqlwriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historystore.h ${CMAKE_CURRENT_LIST_DIR}/historystore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historywriter.h ${CMAKE_CURRENT_LIST_DIR}/historywriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/readsnapshot.h ${CMAKE_CURRENT_LIST_DIR}/readsnapshot.cpp
    ${CMAKE_CURRENT_LIST_DIR}/resumeplan.h ${CMAKE_CURRENT_LIST_DIR}/resumeplan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlfilter.h ${CMAKE_CURRENT_LIST_DIR}/sqlfilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlitestatement.h ${CMAKE_CURRENT_LIST_DIR}/sqlitestatement.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tracereader.h ${CMAKE_CURRENT_LIST_DIR}/tracereader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/usagequeries.h
    ${CMAKE_CURRENT_LIST_DIR}/usagereader.h ${CMAKE_CURRENT_LIST_DIR}/usagereader.cpp)
