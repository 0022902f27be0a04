#pragma once

#include <QLocale>
#include <QString>

namespace agentdesk::translations {

// Loads agentdesk's translation for the locale (built in, :/i18n/agentdesk_<lang>.qm) and, beside it,
// Qt's own qtbase_<lang> from QLibraryInfo::TranslationsPath, so standard buttons and dialogs speak the
// same language. Without a translation for the locale, English (the source text with its plural forms)
// is used. Replaces what an earlier call installed. Returns the language loaded ("de", "en").
QString install(const QLocale &locale);

} // namespace agentdesk::translations
