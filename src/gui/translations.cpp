#include "translations.h"

#include "guilogging.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace agentdesk::translations {

namespace {
std::unique_ptr<QTranslator> s_qt;
std::unique_ptr<QTranslator> s_app;
} // namespace

QString install(const QLocale &locale)
{
    for (std::unique_ptr<QTranslator> *installed : {&s_qt, &s_app}) {
        if (*installed)
            QCoreApplication::removeTranslator(installed->get());
        installed->reset();
    }
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        s_qt = std::move(qt);
    } else {
        qCDebug(lcGui) << "No Qt translation for" << locale.name() << "- Qt's own texts stay in English";
    }
    // A language without a translation reads the English source text, with English plural forms.
    auto app = std::make_unique<QTranslator>();
    if (!app->load(locale, u"agentdesk"_s, u"_"_s, u":/i18n"_s)
        && !app->load(QLocale(QLocale::English), u"agentdesk"_s, u"_"_s, u":/i18n"_s)) {
        qCWarning(lcGui) << "The window's translations are missing from the program's resources (:/i18n)";
        return {};
    }
    QCoreApplication::installTranslator(app.get());
    const QString language = QFileInfo(app->filePath()).completeBaseName().section(u'_', 1);
    s_app = std::move(app);
    return language;
}

} // namespace agentdesk::translations
