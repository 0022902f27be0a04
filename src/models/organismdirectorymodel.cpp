#include "organismdirectorymodel.h"

#include "modelformat.h"
#include "session.h"

#include <QSet>

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

// The status of the others moves slowly (a process starts or ends): a read every few seconds is enough.
constexpr auto kRefresh = std::chrono::seconds(5);

QString keyOf(const QString &organism, const QString &instance)
{
    return instance.isEmpty() ? organism : organism + u'/' + instance;
}

QString keyOf(const HistoryInstance &instance)
{
    return keyOf(instance.organism, instance.instance);
}

bool foundBefore(const HistoryInstance &a, const HistoryInstance &b)
{
    return std::pair(a.organism, a.instance) < std::pair(b.organism, b.instance);
}

} // namespace

OrganismDirectoryModel::OrganismDirectoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_refresh.setInterval(kRefresh);
    connect(&m_refresh, &QTimer::timeout, this, &OrganismDirectoryModel::refreshHistories);
    m_refresh.start();
}

OrganismDirectoryModel::~OrganismDirectoryModel()
{
    for (Live &live : m_live) {
        for (const QMetaObject::Connection &connection : std::as_const(live.connections))
            disconnect(connection);
    }
}

// --- the sessions --------------------------------------------------------------------------------------

void OrganismDirectoryModel::setLocalSession(Session *session, const QString &endpoint)
{
    const bool hadLocal = !m_live.isEmpty() && m_live.first().kind == Kind::Local;
    if (hadLocal && m_live.first().id == session) {
        m_live.first().endpoint = endpoint;
        emitRowChanged(0);
        return;
    }
    if (hadLocal) {
        beginRemoveRows({}, 0, 0);
        const Live gone = m_live.takeFirst();
        for (const QMetaObject::Connection &connection : gone.connections)
            disconnect(connection);
        m_histories.remove(gone.id);
        endRemoveRows();
    }
    if (session) {
        beginInsertRows({}, 0, 0);
        m_live.prepend(Live{session, session, Kind::Local, endpoint, {}, {}, {}});
        watch(m_live.first());
        endInsertRows();
        readHistory(session);
    }
    applyFound(collectFound());
}

void OrganismDirectoryModel::addSession(Session *session, const QString &endpoint)
{
    if (!session || rowOf(session) >= 0)
        return;
    const int row = int(m_live.size());
    beginInsertRows({}, row, row);
    m_live.append(Live{session, session, Kind::Attached, endpoint, {}, {}, {}});
    watch(m_live.last());
    endInsertRows();
    readHistory(session);
}

void OrganismDirectoryModel::removeSession(Session *session)
{
    const int row = rowOf(session);
    if (row < 0 || row >= m_live.size())
        return;
    beginRemoveRows({}, row, row);
    const Live gone = m_live.takeAt(row);
    for (const QMetaObject::Connection &connection : gone.connections)
        disconnect(connection);
    m_histories.remove(session);
    endRemoveRows();
    applyFound(collectFound());
}

void OrganismDirectoryModel::watch(Live &live)
{
    Session *session = live.session;
    const auto changed = [this, session] { onSessionChanged(session); };
    live.connections << connect(session, &Session::stateChanged, this, changed);
    live.connections << connect(session, &Session::organismChanged, this, changed);
    live.connections << connect(session, &Session::updateModeChanged, this, changed);
    live.connections << connect(session, &QObject::destroyed, this, [this, session] { removeSession(session); });
    if (session->isConnected())
        live.lastName = session->organism().name;
}

void OrganismDirectoryModel::onSessionChanged(Session *session)
{
    Live *live = liveOf(session);
    if (!live)
        return;
    const bool justConnected = session->isConnected() && live->lastName.isEmpty();
    if (session->isConnected())
        live->lastName = session->organism().name;
    emitRowChanged(rowOf(session));
    if (justConnected || (session->isConnected() && !m_histories.contains(session)))
        readHistory(session);
}

void OrganismDirectoryModel::refreshHistories()
{
    for (const Live &live : std::as_const(m_live)) {
        if (live.session)
            readHistory(live.session);
    }
}

void OrganismDirectoryModel::readHistory(Session *session)
{
    if (!session->isConnected() || !session->abilities().sharesHistory)
        return;
    session->fetchHistoryInstances(
        this, [this, session = QPointer<Session>(session)](const Result<QList<HistoryInstance>> &instances) {
            if (session && instances.has_value())
                onHistory(session, *instances);
        });
}

void OrganismDirectoryModel::onHistory(Session *session, const QList<HistoryInstance> &instances)
{
    Live *live = liveOf(session);
    if (!live)
        return;
    m_histories.insert(session, instances);
    const auto self = std::find_if(instances.cbegin(), instances.cend(),
                                   [](const HistoryInstance &instance) { return instance.isThisProcess; });
    live->self = self != instances.cend() ? std::optional<HistoryInstance>(*self) : std::nullopt;
    emitRowChanged(rowOf(session));
    applyFound(collectFound());
}

// Every instance the histories list that no session shows, each once, in their order.
QList<OrganismDirectoryModel::Found> OrganismDirectoryModel::collectFound() const
{
    QSet<QString> shown;
    for (const Live &live : m_live) {
        if (live.self)
            shown.insert(keyOf(*live.self));
    }
    QList<Found> found;
    for (const Live &live : m_live) {
        for (const HistoryInstance &instance : m_histories.value(live.id)) {
            const QString key = keyOf(instance);
            if (instance.isThisProcess || shown.contains(key))
                continue;
            shown.insert(key);
            found.append(Found{instance, live.session});
        }
    }
    std::sort(found.begin(), found.end(),
              [](const Found &a, const Found &b) { return foundBefore(a.instance, b.instance); });
    return found;
}

// Applies the new list row by row (removed, changed, inserted), so a selection elsewhere stays put.
void OrganismDirectoryModel::applyFound(const QList<Found> &found)
{
    const int offset = int(m_live.size());
    QSet<QString> wanted;
    for (const Found &entry : found)
        wanted.insert(keyOf(entry.instance));
    for (int i = int(m_found.size()) - 1; i >= 0; --i) {
        if (!wanted.contains(keyOf(m_found.at(i).instance))) {
            beginRemoveRows({}, offset + i, offset + i);
            m_found.removeAt(i);
            endRemoveRows();
        }
    }
    for (const Found &entry : found) {
        const auto at = std::lower_bound(m_found.begin(), m_found.end(), entry, [](const Found &a, const Found &b) {
            return foundBefore(a.instance, b.instance);
        });
        const int i = int(at - m_found.begin());
        if (at != m_found.end() && keyOf(at->instance) == keyOf(entry.instance)) {
            *at = entry;
            emitRowChanged(offset + i);
            continue;
        }
        beginInsertRows({}, offset + i, offset + i);
        m_found.insert(i, entry);
        endInsertRows();
    }
}

void OrganismDirectoryModel::emitRowChanged(int row)
{
    if (row >= 0 && row < rowCount())
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

// --- lookups -------------------------------------------------------------------------------------------

const OrganismDirectoryModel::Live *OrganismDirectoryModel::liveOf(const Session *session) const
{
    for (const Live &live : m_live) {
        if (live.id == session)
            return &live;
    }
    return nullptr;
}

OrganismDirectoryModel::Live *OrganismDirectoryModel::liveOf(const Session *session)
{
    return const_cast<Live *>(std::as_const(*this).liveOf(session));
}

int OrganismDirectoryModel::rowOf(const Session *session) const
{
    if (!session)
        return -1;
    for (int row = 0; row < m_live.size(); ++row) {
        if (m_live.at(row).id == session)
            return row;
    }
    return -1;
}

Session *OrganismDirectoryModel::sessionAt(int row) const
{
    return row >= 0 && row < m_live.size() ? m_live.at(row).session.data() : nullptr;
}

Session *OrganismDirectoryModel::historySourceAt(int row) const
{
    if (row >= 0 && row < m_live.size())
        return m_live.at(row).session.data();
    const int found = row - int(m_live.size());
    return found >= 0 && found < m_found.size() ? m_found.at(found).source.data() : nullptr;
}

QList<Session *> OrganismDirectoryModel::sessions() const
{
    QList<Session *> list;
    for (const Live &live : m_live) {
        if (live.session)
            list.append(live.session);
    }
    return list;
}

OrganismDirectoryModel::Kind OrganismDirectoryModel::kindAt(int row) const
{
    return row < m_live.size() ? m_live.at(row).kind : Kind::InHistory;
}

QString OrganismDirectoryModel::historyKeyAt(int row) const
{
    if (row < m_live.size()) {
        const Live &live = m_live.at(row);
        return live.self ? keyOf(*live.self) : live.lastName;
    }
    return keyOf(m_found.at(row - m_live.size()).instance);
}

QString OrganismDirectoryModel::nameAt(int row) const
{
    QString name;
    QString instance;
    if (row < m_live.size()) {
        const Live &live = m_live.at(row);
        name = live.lastName;
        instance = live.self ? live.self->instance : QString();
        if (name.isEmpty())
            return live.kind == Kind::Local ? tr("this organism") : live.endpoint;
    } else {
        const HistoryInstance &found = m_found.at(row - m_live.size()).instance;
        name = found.organism;
        instance = found.instance;
    }
    return instance.isEmpty() ? name : tr("%1 (%2)").arg(name, instance);
}

// --- status ----------------------------------------------------------------------------------------------

OrganismDirectoryModel::Status OrganismDirectoryModel::liveStatus(const Live &live) const
{
    const Session *session = live.session;
    if (!session || session->state() == Session::State::Disconnected)
        return Status::Gone;
    if (session->state() == Session::State::Connecting)
        return Status::Connecting;
    switch (session->organism().status) {
    case OrganismStatus::Starting:
        return Status::Starting;
    case OrganismStatus::Stopping:
        return Status::Stopping;
    case OrganismStatus::Stopped:
        return Status::Stopped;
    case OrganismStatus::Running:
        break;
    }
    return live.kind == Kind::Local ? Status::Running : Status::Connected;
}

QString OrganismDirectoryModel::liveStatusText(const Live &live) const
{
    switch (liveStatus(live)) {
    case Status::Gone: {
        const QString why = live.session ? live.session->errorText() : QString();
        return why.isEmpty() ? tr("not connected") : tr("gone: %1").arg(why);
    }
    case Status::Connecting:
        return tr("connecting…");
    case Status::Starting:
        return tr("starting");
    case Status::Stopping:
        return tr("stopping");
    case Status::Stopped:
        return tr("stopped");
    case Status::Running:
        return tr("running");
    case Status::Connected:
        return live.session->updateMode() == UpdateMode::Polling ? tr("connected (polling)") : tr("connected");
    case Status::NotRunning:
        break;
    }
    return {};
}

QString OrganismDirectoryModel::statusTextAt(int row) const
{
    if (row < m_live.size())
        return liveStatusText(m_live.at(row));
    const HistoryInstance &found = m_found.at(row - m_live.size()).instance;
    if (found.running)
        return tr("running on %1, pid %2").arg(found.host).arg(found.pid);
    return found.lastSeen.isValid() ? tr("not running, last seen %1").arg(modelformat::timestamp(found.lastSeen))
                                    : tr("not running");
}

QString OrganismDirectoryModel::toolTip(int row) const
{
    if (row < m_live.size()) {
        const Live &live = m_live.at(row);
        QString text = tr("%1 — %2 at %3").arg(nameAt(row), kindText(live.kind), live.endpoint);
        if (live.self && !live.self->host.isEmpty())
            text += u'\n' + tr("Runs on %1, pid %2.").arg(live.self->host).arg(live.self->pid);
        return text;
    }
    const Found &found = m_found.at(row - m_live.size());
    const QString via = found.source ? found.source->organism().name : QString();
    return tr("%1 writes to the history that %2 shares. This window has no connection to it, so it shows "
              "only what the history says: whether it runs, and its usage. To watch it live, connect to its "
              "API (File → Connect).")
        .arg(nameAt(row), via);
}

// --- the model -------------------------------------------------------------------------------------------

int OrganismDirectoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_live.size() + m_found.size());
}

int OrganismDirectoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString OrganismDirectoryModel::kindText(Kind kind)
{
    switch (kind) {
    case Kind::Local:
        return tr("local");
    case Kind::Attached:
        return tr("attached");
    case Kind::InHistory:
        return tr("in history");
    }
    return {};
}

QVariant OrganismDirectoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const bool isLive = row < m_live.size();
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case NameColumn:
            return nameAt(row);
        case KindColumn:
            return kindText(kindAt(row));
        case StatusColumn:
            return statusTextAt(row);
        case EndpointColumn:
            return isLive ? m_live.at(row).endpoint : m_found.at(row - m_live.size()).instance.host;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return toolTip(row);
    case KindRole:
        return QVariant::fromValue(kindAt(row));
    case StatusRole:
        if (isLive)
            return QVariant::fromValue(liveStatus(m_live.at(row)));
        return QVariant::fromValue(m_found.at(row - m_live.size()).instance.running ? Status::Running
                                                                                    : Status::NotRunning);
    case OrganismRole:
        return isLive ? m_live.at(row).lastName : m_found.at(row - m_live.size()).instance.organism;
    case InstanceRole:
        if (isLive)
            return m_live.at(row).self ? m_live.at(row).self->instance : QString();
        return m_found.at(row - m_live.size()).instance.instance;
    case LiveRole:
        return isLive;
    default:
        return {};
    }
}

QVariant OrganismDirectoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Organism");
    case KindColumn:
        return tr("Kind");
    case StatusColumn:
        return tr("Status");
    case EndpointColumn:
        return tr("Endpoint");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags OrganismDirectoryModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    // An organism known from a history only cannot be shown live: it is listed, not chosen.
    return index.row() < m_live.size() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::ItemIsEnabled;
}

} // namespace agentdesk
