#include "attachedsessions.h"

#include "session.h"

#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const QString kOpenKey = u"connect/open"_s;

} // namespace

AttachedSessions::AttachedSessions() = default;

AttachedSessions::~AttachedSessions() = default;

Session *AttachedSessions::add(const QUrl &url, const QString &apiKey, const QString &keyVariable)
{
    if (!m_factory)
        return nullptr;
    Session *made = m_factory(url, apiKey);
    if (!made)
        return nullptr;
    m_entries.push_back(Entry{std::unique_ptr<Session>(made), Remembered{url, keyVariable}});
    remember();
    return made;
}

Session *AttachedSessions::find(const QUrl &url) const
{
    for (const Entry &entry : m_entries) {
        if (entry.where.url.adjusted(QUrl::StripTrailingSlash) == url.adjusted(QUrl::StripTrailingSlash))
            return entry.session.get();
    }
    return nullptr;
}

bool AttachedSessions::contains(const Session *session) const
{
    return session && std::any_of(m_entries.cbegin(), m_entries.cend(), [session](const Entry &entry) {
               return entry.session.get() == session;
           });
}

QUrl AttachedSessions::urlOf(const Session *session) const
{
    for (const Entry &entry : m_entries) {
        if (entry.session.get() == session)
            return entry.where.url;
    }
    return {};
}

QList<Session *> AttachedSessions::sessions() const
{
    QList<Session *> list;
    for (const Entry &entry : m_entries)
        list.append(entry.session.get());
    return list;
}

std::unique_ptr<Session> AttachedSessions::take(Session *session)
{
    const auto found = std::find_if(m_entries.begin(), m_entries.end(),
                                    [session](const Entry &entry) { return entry.session.get() == session; });
    if (found == m_entries.end())
        return nullptr;
    std::unique_ptr<Session> taken = std::move(found->session);
    m_entries.erase(found);
    remember();
    return taken;
}

void AttachedSessions::remember() const
{
    QSettings settings;
    settings.remove(kOpenKey);
    settings.beginWriteArray(kOpenKey, int(m_entries.size()));
    for (int i = 0; i < int(m_entries.size()); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(u"url"_s, m_entries.at(i).where.url.toString());
        settings.setValue(u"keyVariable"_s, m_entries.at(i).where.keyVariable);
    }
    settings.endArray();
}

QList<AttachedSessions::Remembered> AttachedSessions::remembered()
{
    QList<Remembered> list;
    QSettings settings;
    const int count = settings.beginReadArray(kOpenKey);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        const QUrl url(settings.value(u"url"_s).toString());
        if (url.isValid())
            list.append(Remembered{url, settings.value(u"keyVariable"_s).toString()});
    }
    settings.endArray();
    return list;
}

} // namespace agentdesk
