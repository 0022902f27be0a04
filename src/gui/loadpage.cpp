#include "loadpage.h"

#include "backlogmodel.h"
#include "llmbackendmodel.h"
#include "llmbackendsview.h"
#include "loadchart.h"
#include "loadseries.h"
#include "modelformat.h"
#include "session.h"
#include "viewdefaults.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <climits>
#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QString rateText(double perSecond)
{
    return QLocale().toString(perSecond, 'f', perSecond < 10 ? 1 : 0);
}

} // namespace

LoadPage::LoadPage(QWidget *parent)
    : QWidget(parent)
    , m_queueGauge(new QProgressBar(this))
    , m_bottleneck(new QLabel(this))
    , m_chart(new LoadChart(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_backlog(new QTableView(this))
    , m_backends(new LlmBackendsView(this))
{
    m_queueGauge->setObjectName(u"queueGauge"_s);
    m_queueGauge->setTextVisible(false);
    m_queueGauge->setMaximumHeight(8);
    auto *tiles = new QHBoxLayout;
    tiles->addWidget(makeTile(tr("Messages/s"), &m_rate), 1);
    tiles->addWidget(makeTile(tr("Queue"), &m_queue, m_queueGauge), 1);
    tiles->addWidget(makeTile(tr("Injects refused"), &m_refused), 1);
    tiles->addWidget(makeTile(tr("Thread errors"), &m_errors), 1);
    tiles->addWidget(makeTile(tr("Handler time"), &m_latency), 1);

    m_bottleneck->setObjectName(u"bottleneck"_s);
    m_bottleneck->setWordWrap(true);
    m_bottleneck->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_bottleneck->font();
    bold.setBold(true);
    m_bottleneck->setFont(bold);

    m_backlog->setObjectName(u"backlogTable"_s);
    m_backlog->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_backlog->verticalHeader()->hide();
    m_backlog->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_backlog->horizontalHeader()->setStretchLastSection(false);
    auto *backlogBox = new QWidget(this);
    auto *backlogLayout = new QVBoxLayout(backlogBox);
    backlogLayout->setContentsMargins(0, 0, 0, 0);
    backlogLayout->addWidget(new QLabel(tr("Where the work waits"), backlogBox));
    backlogLayout->addWidget(m_backlog);

    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_chart);
    m_splitter->addWidget(backlogBox);
    m_splitter->addWidget(m_backends);
    // The chart needs the height (its axis titles are cut below ~300 px); the two tables hold a few rows.
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setSizes({460, 170, 170});
    m_backends->setExplainsAbsence(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tiles);
    layout->addWidget(m_bottleneck);
    layout->addWidget(m_splitter, 1);
    refresh();
}

LoadPage::~LoadPage() = default;

QWidget *LoadPage::makeTile(const QString &title, Tile *tile, QProgressBar *gauge)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(frame);
    auto *heading = new QLabel(title, frame);
    tile->value = new QLabel(frame);
    tile->value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = tile->value->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    tile->value->setFont(big);
    tile->caption = new QLabel(frame);
    tile->caption->setForegroundRole(QPalette::PlaceholderText);
    tile->caption->setWordWrap(true);
    layout->addWidget(heading);
    layout->addWidget(tile->value);
    if (gauge)
        layout->addWidget(gauge);
    layout->addWidget(tile->caption);
    layout->addStretch();
    return frame;
}

void LoadPage::setSession(Session *session)
{
    if (m_backlog->model())
        m_backlogHeader = m_backlog->horizontalHeader()->saveState();
    m_backlog->setModel(nullptr);
    m_chart->setSeries(nullptr);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_series = nullptr;
    m_backlogModel = nullptr;
    m_backends->setSession(session);
    if (session) {
        m_series = new LoadSeries(session, m_scope.get());
        m_chart->setSeries(m_series);
        m_backlogModel = new BacklogModel(session, m_scope.get());
        m_backlog->setModel(m_backlogModel);
        layOutColumns(m_backlog, m_backlogHeader, {220, 110, 110, 200});
        connect(session, &Session::organismChanged, this, &LoadPage::refresh);
        connect(session, &Session::stateChanged, this, &LoadPage::refresh);
        connect(session, &Session::llmBackendsChanged, this, &LoadPage::refresh);
    }
    refresh();
}

QString LoadPage::tileText(const QString &tile) const
{
    const std::pair<const char *, const Tile *> tiles[] = {{"rate", &m_rate},
                                                           {"queue", &m_queue},
                                                           {"refused", &m_refused},
                                                           {"errors", &m_errors},
                                                           {"latency", &m_latency}};
    for (const auto &[name, entry] : tiles) {
        if (tile == QLatin1StringView(name))
            return entry->value->text();
    }
    return {};
}

QString LoadPage::bottleneckText() const
{
    return m_bottleneck->text();
}

void LoadPage::refresh()
{
    const bool connected = m_session && m_session->isConnected();
    const bool reports = connected && m_session->abilities().reportsLoad;
    const OrganismInfo info = connected ? m_session->organism() : OrganismInfo();
    const Saturation &load = info.saturation;
    const std::optional<LoadSeries::Sample> latest = m_series ? m_series->latest() : std::nullopt;

    m_rate.value->setText(connected && latest ? rateText(latest->messagesPerSecond) : u"—"_s);
    m_rate.caption->setText(
        reports ? tr("%1 handler calls ended in the last minute").arg(modelformat::count(load.handledLastMinute))
                : tr("counted here from the server's totals"));
    const QString dash = u"—"_s;
    if (!reports) {
        for (Tile *tile : {&m_queue, &m_refused, &m_errors, &m_latency}) {
            tile->value->setText(dash);
            tile->caption->setText(connected ? tr("this server does not report it") : QString());
        }
        m_queueGauge->setRange(0, 1);
        m_queueGauge->setValue(0);
        m_bottleneck->setText(connected ? tr("This server reports no queue, refusals or handler times (they are "
                                             "agentdesk extensions): only messages per second are shown.")
                                        : QString());
        m_bottleneck->setStyleSheet(QString());
        return;
    }
    m_queue.value->setText(tr("%1 / %2").arg(modelformat::count(load.queueDepth), modelformat::count(load.queueLimit)));
    m_queue.caption->setText(tr("new injects are admitted below %1").arg(modelformat::count(load.admissionLimit)));
    m_queueGauge->setRange(0, std::max(1, load.queueLimit));
    m_queueGauge->setValue(std::min(load.queueDepth, std::max(1, load.queueLimit)));
    m_refused.value->setText(modelformat::count(load.injectsRefused));
    m_refused.caption->setText(tr("since start-up"));
    m_errors.value->setText(tr("%1 / min").arg(modelformat::count(load.threadErrorsLastMinute)));
    m_errors.caption->setText(tr("threads that ended in error in the last minute"));
    m_latency.value->setText(load.handlerP50Ms
                                 ? tr("%1 · %2").arg(modelformat::milliseconds(*load.handlerP50Ms),
                                                     modelformat::milliseconds(load.handlerP95Ms.value_or(NAN)))
                                 : dash);
    m_latency.caption->setText(tr("median · 95th percentile, last minute"));

    m_bottleneck->setText(bottleneckSentence(load));
    m_bottleneck->setStyleSheet(load.saturated ? u"color: #c0392b;"_s : QString());
}

// The bottleneck in words: why injects are refused, or what the longest queue waits for — naming the
// LLM backend and its hold-up (its token bucket, a rate limit, every slot busy) when one holds it.
QString LoadPage::bottleneckSentence(const Saturation &load) const
{
    const AgentBacklog *longest = load.backlog.isEmpty() ? nullptr : &load.backlog.first();
    const std::optional<LlmBackendState> backend = holdingBackend(longest ? longest->agent : QString());
    const QString holdUp = backend ? LlmBackendModel::holdUpText(*backend) : QString();
    if (load.saturated && backend)
        return tr("Saturated: %1 — held up by LLM backend %2: %3").arg(load.cause, backend->name, holdUp);
    if (load.saturated)
        return tr("Saturated: %1").arg(load.cause);
    if (backend && longest && longest->queued > 0)
        return tr("Bottleneck: LLM backend %1 — %2 (%3 has %4 queued)")
            .arg(backend->name, holdUp, longest->agent, modelformat::count(longest->queued));
    if (longest && longest->rateLimitWaitSeconds >= 1)
        return tr("Bottleneck: %1 waits %2 s for an LLM backend's rate limit (%3 queued)")
            .arg(longest->agent, QLocale().toString(longest->rateLimitWaitSeconds, 'f', 0),
                 modelformat::count(longest->queued));
    if (const auto agent = longest ? m_session->agent(longest->agent) : std::nullopt;
        agent && agent->state == AgentState::Paused && longest->queued > 0)
        return tr("Longest queue: %1 is paused with %2 waiting")
            .arg(longest->agent, modelformat::count(longest->queued));
    if (longest && longest->queued > 0)
        return tr("Longest queue: %1 (%2 waiting, %3 running)")
            .arg(longest->agent, modelformat::count(longest->queued), modelformat::count(longest->inFlight));
    if (backend)
        return tr("LLM backend %1: %2").arg(backend->name, holdUp);
    return tr("Keeping up: nothing waits");
}

// The backend that holds calls up: the one serving `agent` (the longest queue's) if it does, else the
// first that holds any.
std::optional<LlmBackendState> LoadPage::holdingBackend(const QString &agent) const
{
    const QList<LlmBackendState> backends = m_session ? m_session->llmBackends() : QList<LlmBackendState>();
    std::optional<LlmBackendState> any;
    for (const LlmBackendState &backend : backends) {
        if (!backend.holdsCalls())
            continue;
        if (!agent.isEmpty() && backend.agents.contains(agent))
            return backend;
        if (!any)
            any = backend;
    }
    return any;
}

void LoadPage::saveState(QSettings &settings) const
{
    settings.setValue(u"load/splitter"_s, m_splitter->saveState());
    settings.setValue(u"load/backlogHeader"_s,
                      m_backlog->model() ? m_backlog->horizontalHeader()->saveState() : m_backlogHeader);
}

void LoadPage::restoreState(const QSettings &settings)
{
    m_splitter->restoreState(settings.value(u"load/splitter"_s).toByteArray());
    m_backlogHeader = settings.value(u"load/backlogHeader"_s).toByteArray();
    if (m_backlog->model())
        m_backlog->horizontalHeader()->restoreState(m_backlogHeader);
}

} // namespace agentdesk
