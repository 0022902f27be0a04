#include "statusheader.h"
#include "ui_statusheader.h"

#include "costdisplayproxy.h"
#include "modelformat.h"
#include "providerdirectory.h"
#include "session.h"
#include "stateicons.h"

#include <QLocale>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

constexpr qint64 kRateWindowMs = 5000;

QString organismStatusText(OrganismStatus status)
{
    switch (status) {
    case OrganismStatus::Starting:
        return StatusHeader::tr("starting");
    case OrganismStatus::Running:
        return StatusHeader::tr("running");
    case OrganismStatus::Stopping:
        return StatusHeader::tr("stopping");
    case OrganismStatus::Stopped:
        return StatusHeader::tr("stopped");
    }
    return {};
}

QColor organismStatusColor(OrganismStatus status)
{
    switch (status) {
    case OrganismStatus::Running:
        return QColor(0x27, 0xae, 0x60);
    case OrganismStatus::Starting:
    case OrganismStatus::Stopping:
        return QColor(0xf3, 0x9c, 0x12);
    case OrganismStatus::Stopped:
        return QColor(0xc0, 0x39, 0x2b);
    }
    return {};
}

QString durationText(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const QString clock = u"%1:%2:%3"_s.arg((seconds / 3600) % 24, 2, 10, QChar(u'0'))
                              .arg((seconds / 60) % 60, 2, 10, QChar(u'0'))
                              .arg(seconds % 60, 2, 10, QChar(u'0'));
    return days > 0 ? StatusHeader::tr("%nd %1", nullptr, int(days)).arg(clock) : clock;
}

} // namespace

StatusHeader::StatusHeader(QWidget *parent)
    : QFrame(parent)
    , m_ui(std::make_unique<Ui::StatusHeader>())
{
    m_ui->setupUi(this);
    QFont name = m_ui->nameLabel->font();
    name.setBold(true);
    name.setPointSizeF(name.pointSizeF() * 1.4);
    m_ui->nameLabel->setFont(name);
    for (QLabel *title : {m_ui->uptimeTitle, m_ui->apiTitle, m_ui->rateTitle, m_ui->tokensTitle, m_ui->costTitle})
        title->setForegroundRole(QPalette::PlaceholderText);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &StatusHeader::tick);
    m_clock.start();
    m_rateClock.start();
    setSession(nullptr, nullptr);
}

StatusHeader::~StatusHeader() = default;

void StatusHeader::setSession(Session *session, ProviderDirectory *providers)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_session = session;
    m_providers = providers;
    m_arrivals.clear();
    if (session) {
        m_connections << connect(session, &Session::messagesRecorded, this, &StatusHeader::onMessages);
        m_connections << connect(session, &Session::organismChanged, this, &StatusHeader::onOrganism);
        m_connections << connect(session, &Session::usageChanged, this, &StatusHeader::updateUsage);
        m_connections << connect(session, &Session::stateChanged, this, &StatusHeader::onOrganism);
        if (providers)
            m_connections << connect(providers, &ProviderDirectory::changed, this, &StatusHeader::updateUsage);
    }
    onOrganism();
    updateUsage();
}

void StatusHeader::setApiAddress(const QString &address)
{
    m_ui->apiValue->setText(address.isEmpty() ? u"—"_s : address);
}

QString StatusHeader::organismText() const
{
    return m_ui->nameLabel->text();
}

QString StatusHeader::statusText() const
{
    return m_ui->statusLabel->text();
}

QString StatusHeader::valueText(const QString &field) const
{
    if (field == u"uptime")
        return m_ui->uptimeValue->text();
    if (field == u"api")
        return m_ui->apiValue->text();
    if (field == u"rate")
        return m_ui->rateValue->text();
    if (field == u"tokens")
        return m_ui->tokensValue->text();
    if (field == u"cost")
        return m_ui->costValue->text();
    return {};
}

void StatusHeader::onMessages(const QList<MessageRecord> &batch)
{
    m_arrivals.emplace_back(m_rateClock.elapsed(), batch.size());
}

double StatusHeader::messagesPerSecond() const
{
    // The organism's own figure where the server reports it (the Load page shows the same); otherwise
    // what arrived here in the last seconds.
    if (m_session && m_session->isConnected() && m_session->abilities().reportsLoad)
        return m_session->organism().saturation.messagesPerSecond;
    const qint64 now = m_rateClock.elapsed();
    qint64 count = 0;
    for (const auto &[time, messages] : m_arrivals) {
        if (now - time <= kRateWindowMs)
            count += messages;
    }
    const double span = std::min<double>(kRateWindowMs, std::max<qint64>(now, 1000)) / 1000.0;
    return double(count) / span;
}

void StatusHeader::onOrganism()
{
    updateStatus();
    tick();
}

void StatusHeader::updateStatus()
{
    if (!m_session) {
        m_ui->nameLabel->setText(tr("No organism"));
        m_ui->statusLabel->setText(QString());
        m_ui->statusIcon->setPixmap(stateicons::disc(Qt::gray).pixmap(16));
        return;
    }
    if (!m_session->isConnected()) {
        const bool connecting = m_session->state() == Session::State::Connecting;
        m_ui->nameLabel->setText(m_session->organism().name.isEmpty() ? m_session->endpoint()
                                                                      : m_session->organism().name);
        m_ui->statusLabel->setText(connecting ? tr("connecting…") : tr("disconnected"));
        m_ui->statusIcon->setPixmap(stateicons::disc(connecting ? QColor(0xf3, 0x9c, 0x12) : Qt::gray).pixmap(16));
        return;
    }
    const OrganismInfo info = m_session->organism();
    m_ui->nameLabel->setText(info.name);
    m_ui->nameLabel->setToolTip(m_session->endpoint());
    QString status = organismStatusText(info.status) + u" · "_s + tr("%n listener(s)", nullptr, info.agentCount)
        + u" · "_s + tr("%n active thread(s)", nullptr, info.activeThreads);
    // Saturation, once there is some: the queue against its limit, and the injects refused at the door.
    const Saturation &saturation = info.saturation;
    if (saturation.queueDepth > 0 || saturation.injectsRefused > 0)
        status += u" · "_s
            + tr("queue %1/%2")
                  .arg(QLocale().toString(saturation.queueDepth), QLocale().toString(saturation.queueLimit))
            + u" · "_s + tr("%n inject(s) refused", nullptr, int(std::min<qint64>(saturation.injectsRefused, INT_MAX)));
    // What holds the organism back, at a glance: refusing at the door, or an LLM agent waiting for a
    // backend's rate limit (the Load page says more).
    const AgentBacklog *longest = saturation.backlog.isEmpty() ? nullptr : &saturation.backlog.first();
    if (saturation.saturated)
        status += u" · "_s + tr("saturated");
    if (longest && longest->rateLimitWaitSeconds >= 1)
        status += u" · "_s
            + tr("%1 waits %2 s for a rate limit")
                  .arg(longest->agent, QLocale().toString(longest->rateLimitWaitSeconds, 'f', 0));
    m_ui->statusLabel->setText(status);
    m_ui->statusLabel->setToolTip(saturation.saturated ? saturation.cause : QString());
    m_ui->statusIcon->setPixmap(stateicons::disc(organismStatusColor(info.status)).pixmap(16));
}

void StatusHeader::tick()
{
    const qint64 now = m_rateClock.elapsed();
    while (!m_arrivals.empty() && now - m_arrivals.front().first > kRateWindowMs)
        m_arrivals.pop_front();
    // The server's own uptime, carried forward by the session: it does not restart when the window
    // connects again or goes back to the local organism.
    if (!m_session || !m_session->isConnected())
        m_ui->uptimeValue->setText(u"—"_s);
    else
        m_ui->uptimeValue->setText(durationText(qint64(m_session->organism().uptimeSeconds)));
    m_ui->rateValue->setText(QLocale().toString(messagesPerSecond(), 'f', 1));
}

void StatusHeader::updateUsage()
{
    if (!m_session || !m_session->isConnected()) {
        m_ui->tokensValue->setText(u"—"_s);
        m_ui->costValue->setText(u"—"_s);
        return;
    }
    const UsageSnapshot usage = m_session->usage();
    m_ui->tokensValue->setText(modelformat::count(usage.totals.totalTokens));
    bool allDemo = usage.totals.requestCount > 0 && m_providers;
    for (const UsageCounters &model : usage.byModel)
        allDemo = allDemo && m_providers->isDemoModel(model.key);
    const QString cost = CostDisplayProxy::costText(usage.totals, allDemo);
    m_ui->costValue->setText(cost.isEmpty() ? u"—"_s : cost); // as the Usage page's tile says it
    m_ui->costValue->setToolTip(CostDisplayProxy::costToolTip(usage.totals, allDemo));
}

} // namespace agentdesk
