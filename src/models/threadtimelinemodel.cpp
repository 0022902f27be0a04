#include "threadtimelinemodel.h"

#include "messagetablemodel.h"
#include "modelformat.h"
#include "session.h"
#include "threadlabels.h"

#include <QColor>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// Internal ids: 0 for a hop row; (hop + 1) << 16 for a row under a hop; that | (child + 1) for a row
// under one of its children (a call's prompt and response).
constexpr int kChildBits = 16;

quintptr childId(int hop)
{
    return quintptr(hop + 1) << kChildBits;
}
quintptr leafId(int hop, int child)
{
    return childId(hop) | quintptr(child + 1);
}

constexpr int kActivePollMs = 2000; // a running thread is read again this often, events or not

QString firstLine(const QString &text, int maxLength = 160)
{
    QString line = text.simplified();
    if (line.size() > maxLength)
        line = line.left(maxLength - 1) + u'…';
    return line;
}

QString promptText(const QList<PromptMessage> &prompt)
{
    QStringList parts;
    for (const PromptMessage &message : prompt)
        parts << u"── %1 ──\n%2"_s.arg(message.role, message.content);
    return parts.join(u"\n\n"_s);
}

// The offline providers (the demo, scripted replies) cost nothing and have no price: no word for money
// in the Cost column for them, as on the Usage page, rather than "unpriced" (an unknown price).
bool isOffline(const UsageEvent &usage)
{
    return usage.provider == u"demo"_s || usage.provider == u"scripted"_s;
}

// The sum of the priced calls; *unpriced when a call of a real provider has no known price.
std::optional<double> costOf(const QList<LlmExchange> &calls, bool *unpriced)
{
    std::optional<double> sum;
    *unpriced = false;
    for (const LlmExchange &call : calls) {
        if (call.usage.estimatedCost)
            sum = sum.value_or(0) + *call.usage.estimatedCost;
        else if (!isOffline(call.usage))
            *unpriced = true;
    }
    return sum;
}

QString costText(const QList<LlmExchange> &calls)
{
    if (calls.isEmpty())
        return {};
    bool unpriced = false;
    const std::optional<double> sum = costOf(calls, &unpriced);
    if (!sum)
        return unpriced ? ThreadTimelineModel::tr("unpriced") : modelformat::noValue();
    return unpriced ? ThreadTimelineModel::tr("%1 + unpriced").arg(modelformat::cost(*sum)) : modelformat::cost(*sum);
}

// In the column: short, so that the timeline fits beside the thread list ("1,200 in (1,024 cached) ·
// 80 out"); in full in the tooltip (tokensText).
QString shortTokensText(const UsageEvent &usage)
{
    if (usage.cachedPromptTokens > 0)
        return ThreadTimelineModel::tr("%1 in (%2 cached) · %3 out")
            .arg(modelformat::count(usage.promptTokens), modelformat::count(usage.cachedPromptTokens),
                 modelformat::count(usage.completionTokens));
    return ThreadTimelineModel::tr("%1 in · %2 out")
        .arg(modelformat::count(usage.promptTokens), modelformat::count(usage.completionTokens));
}

QString tokensText(const UsageEvent &usage)
{
    return ThreadTimelineModel::tr("%1 prompt (%2 cached) · %3 completion")
        .arg(modelformat::count(usage.promptTokens), modelformat::count(usage.cachedPromptTokens),
             modelformat::count(usage.completionTokens));
}

} // namespace

ThreadTimelineModel::ThreadTimelineModel(Session *session, QObject *parent)
    : QAbstractItemModel(parent)
    , m_session(session)
{
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &ThreadTimelineModel::reload);
    connect(session, &Session::messagesRecorded, this, [this](const QList<MessageRecord> &batch) {
        if (m_threadId.isEmpty())
            return;
        for (const MessageRecord &message : batch) {
            if (message.threadId == m_threadId)
                return scheduleRefresh();
        }
    });
    const auto onThreads = [this](const QList<ThreadInfo> &threads) {
        for (const ThreadInfo &thread : threads) {
            if (thread.id == m_threadId)
                return scheduleRefresh();
        }
    };
    connect(session, &Session::threadsUpdated, this, onThreads);
    connect(session, &Session::usageRecorded, this, [this](const QList<UsageEvent> &events) {
        for (const UsageEvent &event : events) {
            if (event.threadId == m_threadId)
                return scheduleRefresh();
        }
    });
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::resynchronized, this, &ThreadTimelineModel::reload);
}

void ThreadTimelineModel::setThreadId(const QString &threadId)
{
    if (threadId == m_threadId)
        return;
    m_threadId = threadId;
    beginResetModel();
    m_trace = {};
    m_error.clear();
    endResetModel();
    reload();
}

void ThreadTimelineModel::setLimit(int hops)
{
    m_limit = std::max(1, hops);
}

void ThreadTimelineModel::scheduleRefresh()
{
    if (m_loading) {
        m_dirty = true;
        return;
    }
    if (!m_refresh.isActive() || m_refresh.remainingTime() > kRefreshMs)
        m_refresh.start(kRefreshMs);
}

void ThreadTimelineModel::reload()
{
    m_refresh.stop();
    const quint64 generation = ++m_generation;
    m_dirty = false;
    if (m_threadId.isEmpty() || !m_session->isConnected()) {
        setLoading(false);
        return;
    }
    m_hasRuns = m_session->abilities().tracesThreads;
    setLoading(true);
    m_session->fetchTimeline(m_threadId, m_limit, this, [this, generation](const Result<ThreadTrace> &trace) {
        if (generation == m_generation)
            onTrace(trace);
    });
}

void ThreadTimelineModel::onTrace(const Result<ThreadTrace> &trace)
{
    setLoading(false);
    if (!trace) {
        m_error = trace.error().message;
        if (!m_trace.hops.isEmpty()) {
            beginResetModel();
            m_trace = {};
            endResetModel();
        }
    } else {
        m_error.clear();
        if (!applyIncrementally(*trace)) {
            beginResetModel();
            m_trace = *trace;
            endResetModel();
        }
    }
    emit traceChanged();
    if (m_dirty)
        scheduleRefresh();
    else if (trace && trace->thread.status == ThreadStatus::Active)
        m_refresh.start(kActivePollMs);
}

// The new read keeps every hop shown (the same seqs, in order, at the front) and only adds: report the
// changes in place. Otherwise (the window of the newest hops moved on, a different thread) a reset.
bool ThreadTimelineModel::applyIncrementally(const ThreadTrace &next)
{
    if (next.thread.id != m_trace.thread.id || next.hops.size() < m_trace.hops.size())
        return false;
    for (qsizetype i = 0; i < m_trace.hops.size(); ++i) {
        if (m_trace.hops.at(i).message.seq != next.hops.at(i).message.seq)
            return false;
    }
    const ThreadTrace previous = std::exchange(m_trace, next);
    m_trace.hops = previous.hops; // grows hop by hop below, so rows and data always agree
    for (int i = 0; i < int(previous.hops.size()); ++i) {
        const QList<RowKind> before = childKinds(previous.hops.at(i));
        const QList<RowKind> after = childKinds(next.hops.at(i));
        const bool appended = after.size() >= before.size() && after.mid(0, before.size()) == before;
        const QModelIndex hop = index(i, 0);
        if (!appended && !before.isEmpty()) {
            beginRemoveRows(hop, 0, int(before.size()) - 1);
            m_trace.hops[i].llm.clear();
            m_trace.hops[i].run.reset();
            m_trace.hops[i].message = {};
            endRemoveRows();
        }
        const int first = appended ? int(before.size()) : 0;
        if (int(after.size()) > first) {
            beginInsertRows(hop, first, int(after.size()) - 1);
            m_trace.hops[i] = next.hops.at(i);
            endInsertRows();
        } else {
            m_trace.hops[i] = next.hops.at(i);
        }
        emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
        const QList<RowKind> shown = childKinds(m_trace.hops.at(i));
        if (!shown.isEmpty())
            emit dataChanged(index(0, 0, hop), index(int(shown.size()) - 1, ColumnCount - 1, hop));
    }
    if (next.hops.size() > previous.hops.size()) {
        beginInsertRows({}, int(previous.hops.size()), int(next.hops.size()) - 1);
        m_trace.hops = next.hops;
        endInsertRows();
    }
    return true;
}

void ThreadTimelineModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

QList<ThreadTimelineModel::RowKind> ThreadTimelineModel::childKinds(const TraceHop &hop) const
{
    if (hop.message.id.isEmpty())
        return {};
    QList<RowKind> kinds{RowKind::Payload};
    for (qsizetype i = 0; i < hop.llm.size(); ++i)
        kinds.append(RowKind::LlmCall);
    if (hop.run && hop.run->failed())
        kinds.append(RowKind::Error);
    return kinds;
}

ThreadTimelineModel::Place ThreadTimelineModel::placeOf(const QModelIndex &index) const
{
    const quintptr id = index.internalId();
    if (id == 0)
        return {index.row(), -1, -1};
    const int hop = int(id >> kChildBits) - 1;
    const int child = int(id & ((quintptr(1) << kChildBits) - 1)) - 1;
    if (child < 0)
        return {hop, index.row(), -1};
    return {hop, child, index.row()};
}

QModelIndex ThreadTimelineModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    const Place place = placeOf(parent);
    if (place.child < 0)
        return createIndex(row, column, childId(place.hop));
    return createIndex(row, column, leafId(place.hop, place.child));
}

QModelIndex ThreadTimelineModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const Place place = placeOf(child);
    if (place.leaf < 0)
        return createIndex(place.hop, 0, quintptr(0));
    return createIndex(place.child, 0, childId(place.hop));
}

int ThreadTimelineModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_trace.hops.size());
    if (parent.column() != 0)
        return 0;
    const Place place = placeOf(parent);
    if (place.hop < 0 || place.hop >= m_trace.hops.size())
        return 0;
    const QList<RowKind> kinds = childKinds(m_trace.hops.at(place.hop));
    if (place.child < 0)
        return int(kinds.size());
    if (place.leaf < 0 && place.child < kinds.size() && kinds.at(place.child) == RowKind::LlmCall)
        return 2; // prompt, response
    return 0;
}

int ThreadTimelineModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

std::optional<MessageRecord> ThreadTimelineModel::messageAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return std::nullopt;
    const Place place = placeOf(index);
    if (place.hop < 0 || place.hop >= m_trace.hops.size())
        return std::nullopt;
    return m_trace.hops.at(place.hop).message;
}

QModelIndex ThreadTimelineModel::hopIndex(qint64 seq) const
{
    for (int i = 0; i < int(m_trace.hops.size()); ++i) {
        if (m_trace.hops.at(i).message.seq == seq)
            return index(i, 0);
    }
    return {};
}

QVariant ThreadTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Place place = placeOf(index);
    const TraceHop &hop = m_trace.hops.at(place.hop);
    if (role == SeqRole)
        return hop.message.seq;
    if (place.child < 0)
        return hopData(hop, index.column(), role);
    const QList<RowKind> kinds = childKinds(hop);
    const RowKind kind = kinds.value(place.child);
    const int call = place.child - 1; // children: payload, calls…, error
    if (place.leaf < 0)
        return childData(hop, kind, call, index.column(), role);
    return leafData(hop.llm.at(call), place.leaf, index.column(), role);
}

QString ThreadTimelineModel::outcomeText(const TraceHop &hop) const
{
    if (hop.copied)
        return tr("copied from %1").arg(m_trace.origin ? ThreadLabels::shortId(m_trace.origin->threadId) : QString());
    if (hop.run && hop.run->failed())
        return tr("failed"); // the error in the tooltip and in its own row below the hop, in full
    if (hop.run && !hop.run->ended.isValid())
        return tr("running");
    if (hop.run)
        return tr("done");
    if (!m_hasRuns)
        return {};
    if (m_trace.thread.status != ThreadStatus::Active)
        return tr("not handled");
    return isWaitingOnPaused(hop) ? tr("waiting (paused)") : tr("waiting");
}

// The hop's receiver (named in the hop's own column) is paused: the message waits in its queue.
bool ThreadTimelineModel::isWaitingOnPaused(const TraceHop &hop) const
{
    if (hop.copied || hop.run || !m_hasRuns || m_trace.thread.status != ThreadStatus::Active)
        return false;
    const std::optional<AgentInfo> target = m_session->agent(hop.message.to);
    return target && target->state == AgentState::Paused;
}

QVariant ThreadTimelineModel::hopData(const TraceHop &hop, int column, int role) const
{
    const std::optional<HandlerRun> &run = hop.run;
    const double waited = run ? double(hop.message.timestamp.msecsTo(run->started)) : std::nan("");
    const double handled = run && run->ended.isValid() ? double(run->started.msecsTo(run->ended)) : std::nan("");
    qint64 tokens = 0;
    for (const LlmExchange &call : hop.llm)
        tokens += call.usage.totalTokens;
    switch (role) {
    case KindRole:
        return int(RowKind::Hop);
    case FailedRole:
        return run && run->failed();
    case TextRole:
        return QString::fromUtf8(hop.message.xml);
    case Qt::ForegroundRole:
        if (run && run->failed())
            return QColor(0xc0, 0x39, 0x2b);
        return hop.copied ? QVariant(QColor(0x7f, 0x8c, 0x8d)) : QVariant();
    case Qt::ToolTipRole:
        if (column == OutcomeColumn && run && run->failed())
            return run->error;
        if (column == OutcomeColumn && isWaitingOnPaused(hop))
            return tr("%1 is paused: the message waits in its queue until it is resumed").arg(hop.message.to);
        if (column == HopColumn)
            return tr("#%1 at %2").arg(hop.message.seq).arg(modelformat::timestamp(hop.message.timestamp));
        return {};
    case RawValueRole:
        switch (column) {
        case WaitColumn:
            return std::isnan(waited) ? QVariant() : QVariant(waited);
        case HandlerColumn:
            return std::isnan(handled) ? QVariant() : QVariant(handled);
        case LlmColumn:
            return hop.llm.isEmpty() ? QVariant() : QVariant(tokens);
        case CostColumn: {
            bool unpriced = false;
            const std::optional<double> cost = costOf(hop.llm, &unpriced);
            return cost ? QVariant(*cost) : QVariant();
        }
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return column == WaitColumn || column == HandlerColumn || column == CostColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case HopColumn:
        return u"%1 → %2 · %3"_s.arg(hop.message.from, hop.message.to, hop.message.payloadType);
    case WaitColumn:
        return run ? modelformat::milliseconds(waited) : QString();
    case HandlerColumn:
        return run ? (run->ended.isValid() ? modelformat::milliseconds(handled) : tr("running…")) : QString();
    case LlmColumn:
        if (hop.llm.isEmpty())
            return {};
        {
            // "2 × gpt-4o-mini · 2,560 tokens": how many calls, the model of the last, the tokens of all.
            const QString calls = hop.llm.size() > 1 ? u"%1 × "_s.arg(hop.llm.size()) : QString();
            return QString(calls + hop.llm.constLast().usage.model + u" · "_s
                           + tr("%1 tokens").arg(modelformat::count(tokens)));
        }
    case CostColumn:
        return costText(hop.llm);
    case OutcomeColumn:
        return outcomeText(hop);
    default:
        return {};
    }
}

QVariant ThreadTimelineModel::childData(const TraceHop &hop, RowKind kind, int call, int column, int role) const
{
    if (role == KindRole)
        return int(kind);
    if (kind != RowKind::LlmCall) {
        // A text row: everything in the first column (the view spans it), the whole text in TextRole.
        const QString text = kind == RowKind::Payload ? QString::fromUtf8(hop.message.xml) : hop.run->error;
        switch (role) {
        case TextRole:
            return text;
        case Qt::ToolTipRole:
            return column == HopColumn ? text.left(4000) : QVariant();
        case FailedRole:
            return kind == RowKind::Error;
        case Qt::ForegroundRole:
            return kind == RowKind::Error ? QVariant(QColor(0xc0, 0x39, 0x2b)) : QVariant();
        case Qt::DisplayRole:
            if (column != HopColumn)
                return {};
            return (kind == RowKind::Payload ? tr("Payload: %1") : tr("Error: %1")).arg(firstLine(text));
        default:
            return {};
        }
    }
    const LlmExchange &exchange = hop.llm.at(call);
    const UsageEvent &usage = exchange.usage;
    switch (role) {
    case RawValueRole:
        switch (column) {
        case LlmColumn:
            return usage.totalTokens;
        case HandlerColumn:
            return usage.latencyMs;
        case CostColumn:
            return usage.estimatedCost ? QVariant(*usage.estimatedCost) : QVariant();
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return column == HandlerColumn || column == CostColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                               : QVariant();
    case Qt::ToolTipRole:
        return column == LlmColumn ? tokensText(usage) : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case HopColumn:
        return tr("LLM call %1: %2")
            .arg(call + 1)
            .arg(usage.provider.isEmpty() ? usage.model : u"%1 (%2)"_s.arg(usage.model, usage.provider));
    case HandlerColumn:
        return modelformat::milliseconds(usage.latencyMs);
    case LlmColumn:
        return shortTokensText(usage);
    case CostColumn:
        if (usage.estimatedCost)
            return modelformat::cost(*usage.estimatedCost);
        return isOffline(usage) ? modelformat::noValue() : tr("unpriced");
    case OutcomeColumn:
        return {};
    default:
        return {};
    }
}

QVariant ThreadTimelineModel::leafData(const LlmExchange &exchange, int leaf, int column, int role) const
{
    const bool prompt = leaf == 0;
    const QString text = prompt ? promptText(exchange.prompt) : exchange.response;
    switch (role) {
    case KindRole:
        return int(prompt ? RowKind::Prompt : RowKind::Response);
    case TextRole:
        return text;
    case Qt::ToolTipRole:
        return column == HopColumn ? text.left(4000) : QVariant();
    case Qt::DisplayRole:
        if (column != HopColumn)
            return {};
        if (prompt)
            return tr("Prompt: %1 characters").arg(modelformat::count(text.size()));
        return tr("Response: %1").arg(firstLine(text));
    default:
        return {};
    }
}

QVariant ThreadTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HopColumn:
        return tr("Hop");
    case WaitColumn:
        return tr("Waited");
    case HandlerColumn:
        return tr("Handled in");
    case LlmColumn:
        return tr("LLM");
    case CostColumn:
        return tr("Cost");
    case OutcomeColumn:
        return tr("Outcome");
    default:
        return {};
    }
}

QHash<int, QByteArray> ThreadTimelineModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(SeqRole, "seq");
    names.insert(TextRole, "text");
    names.insert(RawValueRole, "rawValue");
    names.insert(FailedRole, "failed");
    return names;
}

} // namespace agentdesk
