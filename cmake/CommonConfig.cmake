# Shared compile settings for every agentdesk target (pattern: qBittorrent's CommonConfig.cmake).
add_library(agentdesk_common_cfg INTERFACE)
target_compile_definitions(agentdesk_common_cfg INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_NO_URL_CAST_FROM_STRING
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
)
target_compile_options(agentdesk_common_cfg INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    $<$<BOOL:${AGENTDESK_WERROR}>:-Werror>
)
