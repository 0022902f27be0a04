# sources of core/store (owner: that folder)
# The store uses the SQLite handle that the QSQLITE driver exposes (the writer's prepared inserts, the
# reader's Unicode case-insensitive search function), so it links the system libsqlite3 the Qt plugin uses.
pkg_check_modules(AGENTDESK_SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
target_link_libraries(agentdesk_core PRIVATE PkgConfig::AGENTDESK_SQLITE3)
# history.backend: postgresql — the writer pipelines its batches through libpq (readers use Qt's QPSQL).
pkg_check_modules(AGENTDESK_LIBPQ REQUIRED IMPORTED_TARGET libpq)
target_link_libraries(agentdesk_core PRIVATE PkgConfig::AGENTDESK_LIBPQ)
target_sources(agentdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/filesystemprobe.h ${CMAKE_CURRENT_LIST_DIR}/filesystemprobe.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historybatch.h ${CMAKE_CURRENT_LIST_DIR}/historybatch.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historybatchwriter.h
    ${CMAKE_CURRENT_LIST_DIR}/historycodec.h ${CMAKE_CURRENT_LIST_DIR}/historycodec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyengine.h ${CMAKE_CURRENT_LIST_DIR}/historyengine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/storelogging.h ${CMAKE_CURRENT_LIST_DIR}/storelogging.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyreader.h ${CMAKE_CURRENT_LIST_DIR}/historyreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyschema.h ${CMAKE_CURRENT_LIST_DIR}/historyschema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlitehistorywriter.h ${CMAKE_CURRENT_LIST_DIR}/sqlitehistorywriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historystore.h ${CMAKE_CURRENT_LIST_DIR}/historystore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historywriter.h ${CMAKE_CURRENT_LIST_DIR}/historywriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/readquery.h ${CMAKE_CURRENT_LIST_DIR}/readquery.cpp
    ${CMAKE_CURRENT_LIST_DIR}/readsnapshot.h ${CMAKE_CURRENT_LIST_DIR}/readsnapshot.cpp
    ${CMAKE_CURRENT_LIST_DIR}/resumeplan.h ${CMAKE_CURRENT_LIST_DIR}/resumeplan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlfilter.h ${CMAKE_CURRENT_LIST_DIR}/sqlfilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlitehistoryengine.h ${CMAKE_CURRENT_LIST_DIR}/sqlitehistoryengine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sqlitestatement.h ${CMAKE_CURRENT_LIST_DIR}/sqlitestatement.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tracereader.h ${CMAKE_CURRENT_LIST_DIR}/tracereader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/usagereader.h ${CMAKE_CURRENT_LIST_DIR}/usagereader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/postgres/postgresconnection.h ${CMAKE_CURRENT_LIST_DIR}/postgres/postgresconnection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/postgres/postgrescopyrows.h ${CMAKE_CURRENT_LIST_DIR}/postgres/postgrescopyrows.cpp
    ${CMAKE_CURRENT_LIST_DIR}/postgres/postgreshistoryengine.h ${CMAKE_CURRENT_LIST_DIR}/postgres/postgreshistoryengine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/postgres/postgreshistorywriter.h ${CMAKE_CURRENT_LIST_DIR}/postgres/postgreshistorywriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/postgres/postgresschema.h ${CMAKE_CURRENT_LIST_DIR}/postgres/postgresschema.cpp)
