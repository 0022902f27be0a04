#include "llmbackendmodel.h"

#include "cellchanges.h"
#include "modelformat.h"

#include "session.h"

#include <QColor>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

QStringList namesOf(const QList<LlmBackendState> &backends)
{
    QStringList names;
    for (const LlmBackendState &backend : backends)
        names.append(backend.name);
    return names;
}

// "800 / 2,400 ms"; "—" before anything was measured.
QString percentiles(const std::optional<double> &p50, const std::optional<double> &p95)
{
    if (!p50 || !p95)
        return u"—"_s;
    return u"%1 / %2 ms"_s.arg(modelformat::count(qint64(std::llround(*p50))),
                               modelformat::count(qint64(std::llround(*p95))));
}

} // namespace

LlmBackendModel::LlmBackendModel(Session *session, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_session(session)
{
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::Connected)
            reload();
    });
    connect(session, &Session::llmBackendsChanged, this, &LlmBackendModel::refresh);
    if (session->isConnected())
        reload();
}

int LlmBackendModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

LlmBackendState LlmBackendModel::backend(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : LlmBackendState();
}

QString LlmBackendModel::holdUpText(const LlmBackendState &backend, Wording wording)
{
    const bool brief = wording == Wording::Brief;
    switch (backend.health) {
    case LlmBackendState::Health::RateLimited:
        return tr("rate-limited for %n s", nullptr, int(std::ceil(backend.rateLimitedForSeconds)));
    case LlmBackendState::Health::Failing:
        return tr("failing since %1").arg(modelformat::timestamp(backend.failingSince));
    case LlmBackendState::Health::Ok:
        break;
    }
    if (backend.waitingForTokens)
        return brief ? tr("waiting for its token bucket")
                     : tr("waiting for its token bucket: %1 of %2 tokens a minute left")
                           .arg(modelformat::count(backend.tokensLeft), modelformat::count(backend.rateLimitTpm));
    if (backend.queued > 0 && backend.active >= backend.maxConcurrent)
        return brief
            ? tr("all slots busy")
            : tr("all slots busy (%1), %2 queued").arg(backend.maxConcurrent).arg(modelformat::count(backend.queued));
    return {};
}

QString LlmBackendModel::waitReason(const QList<LlmBackendState> &backends, const QString &agent, Wording wording)
{
    QStringList reasons;
    for (const LlmBackendState &backend : backends) {
        if (backend.agents.contains(agent) && backend.holdsCalls())
            reasons.append(u"%1: %2"_s.arg(backend.name, holdUpText(backend, wording)));
    }
    return reasons.join(u"; "_s);
}

QVariant LlmBackendModel::rawValue(const LlmBackendState &backend, int column)
{
    switch (column) {
    case NameColumn:
        return backend.name;
    case ProviderColumn:
        return backend.provider;
    case ModelsColumn:
        return backend.models.join(u", "_s);
    case StateColumn:
        return int(backend.health);
    case InFlightColumn:
        return backend.active;
    case QueuedColumn:
        return backend.queued;
    case TokensLeftColumn:
        return backend.rateLimitTpm > 0 ? QVariant(backend.tokensLeft) : QVariant();
    case LatencyColumn:
        return backend.latencyP50Ms ? QVariant(*backend.latencyP50Ms) : QVariant();
    case TtftColumn:
        return backend.ttftP50Ms ? QVariant(*backend.ttftP50Ms) : QVariant();
    case CallsColumn:
        return backend.calls;
    default:
        return {};
    }
}

QString LlmBackendModel::display(const LlmBackendState &backend, int column)
{
    switch (column) {
    case ModelsColumn:
        return backend.models.isEmpty() ? tr("by name") : backend.models.join(u", "_s);
    case StateColumn: { // the figures are in their own columns; the tooltip has the whole sentence
        const QString holdUp = holdUpText(backend, Wording::Brief);
        return holdUp.isEmpty() ? tr("ok") : holdUp;
    }
    case InFlightColumn:
        return u"%1 / %2"_s.arg(backend.active).arg(backend.maxConcurrent);
    case QueuedColumn:
        return modelformat::count(backend.queued);
    case TokensLeftColumn:
        return backend.rateLimitTpm > 0
            ? tr("%1 of %2").arg(modelformat::count(backend.tokensLeft), modelformat::count(backend.rateLimitTpm))
            : tr("unlimited");
    case LatencyColumn:
        return percentiles(backend.latencyP50Ms, backend.latencyP95Ms);
    case TtftColumn:
        return backend.streaming ? percentiles(backend.ttftP50Ms, backend.ttftP95Ms) : tr("not streamed");
    case CallsColumn:
        return modelformat::count(backend.calls);
    default:
        return rawValue(backend, column).toString();
    }
}

QVariant LlmBackendModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LlmBackendState &backend = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(backend, column);
    case RawValueRole:
        return rawValue(backend, column);
    case NameRole:
        return backend.name;
    case HealthRole:
        return int(backend.health);
    case HoldsCallsRole:
        return backend.holdsCalls();
    case Qt::ToolTipRole:
        if (column == StateColumn) {
            QStringList lines{holdUpText(backend)};
            lines.append(backend.lastError);
            lines.removeAll(QString());
            return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
        }
        if (column == NameColumn)
            return backend.endpoint;
        if (column == InFlightColumn || column == QueuedColumn)
            return backend.agents.isEmpty() ? QVariant() : QVariant(tr("Agents: %1").arg(backend.agents.join(u", "_s)));
        return {};
    case Qt::ForegroundRole:
        if (column != StateColumn)
            return {};
        switch (backend.health) {
        case LlmBackendState::Health::Failing:
            return QColor(0xc0, 0x39, 0x2b);
        case LlmBackendState::Health::RateLimited:
            return QColor(0xd6, 0x8a, 0x00);
        case LlmBackendState::Health::Ok:
            break;
        }
        return {};
    case Qt::TextAlignmentRole:
        return column >= InFlightColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}

QString LlmBackendModel::columnTitle(int column) const
{
    switch (column) {
    case NameColumn:
        return tr("Backend");
    case ProviderColumn:
        return tr("Provider");
    case ModelsColumn:
        return tr("Models");
    case StateColumn:
        return tr("State");
    case InFlightColumn:
        return tr("In flight");
    case QueuedColumn:
        return tr("Queued");
    case TokensLeftColumn:
        return tr("Tokens left");
    case LatencyColumn:
        return tr("Latency p50 / p95");
    case TtftColumn:
        return tr("First token p50 / p95");
    case CallsColumn:
        return tr("Calls");
    default:
        return {};
    }
}

QHash<int, QByteArray> LlmBackendModel::extraRoleNames() const
{
    QHash<int, QByteArray> names;
    names.insert(NameRole, "name");
    names.insert(HealthRole, "health");
    names.insert(HoldsCallsRole, "holdsCalls");
    return names;
}

void LlmBackendModel::reload()
{
    beginResetModel();
    m_rows = m_session->llmBackends();
    endResetModel();
}

void LlmBackendModel::refresh()
{
    const QList<LlmBackendState> next = m_session->llmBackends();
    if (namesOf(next) != namesOf(m_rows)) {
        reload();
        return;
    }
    // A few rows, read once a second: a backend that changed at all is repainted whole.
    CellChanges cells;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row) == next.at(row))
            continue;
        for (int column = 0; column < ColumnCount; ++column)
            cells.add(row, column,
                      {Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, RawValueRole, HealthRole, HoldsCallsRole});
    }
    m_rows = next;
    for (const CellChanges::Range &range : cells.ranges())
        emit dataChanged(index(range.firstRow, range.firstColumn), index(range.lastRow, range.lastColumn), range.roles);
}

} // namespace agentdesk
