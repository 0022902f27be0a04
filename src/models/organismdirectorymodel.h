#pragma once

#include "domain/historyinstance.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace agentdesk {

class Session;

// The organisms the window knows, one row each: this process's own (local), each attached connection,
// then every organism and instance found in a history one of them shares (a PostgreSQL database several
// agentdesk processes write to) that is not already one of those. A connected session learns which
// entry of its history is itself (isThisProcess), so an organism is listed once by organism name and
// instance. The sessions are not owned; the histories are read again every few seconds.
class OrganismDirectoryModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, StatusColumn, EndpointColumn, ColumnCount };
    Q_ENUM(Column)
    enum class Kind { Local, Attached, InHistory };
    Q_ENUM(Kind)
    enum class Status { Connecting, Connected, Gone, Starting, Stopping, Stopped, Running, NotRunning };
    Q_ENUM(Status)
    enum Role {
        KindRole = Qt::UserRole + 1, // Kind
        StatusRole,                  // Status
        OrganismRole,                // organism.name (empty while a session has not said)
        InstanceRole,                // history.instance, when known
        LiveRole,                    // bool: a session shows it (else known from a history only)
    };
    Q_ENUM(Role)

    explicit OrganismDirectoryModel(QObject *parent = nullptr);
    ~OrganismDirectoryModel() override;

    // This process's organism (nullptr: none), with the address its API answers on (may be empty).
    void setLocalSession(Session *session, const QString &endpoint = {});
    // An attached connection, listed after the others; the endpoint is what it was connected to.
    void addSession(Session *session, const QString &endpoint);
    void removeSession(Session *session);
    // Reads every connected session's history list now (it is also read every kRefresh).
    void refreshHistories();

    int rowOf(const Session *session) const; // -1: not listed
    Session *sessionAt(int row) const;       // nullptr for an organism known from a history only
    // The session whose history lists the row's organism (for a live row: its own session).
    Session *historySourceAt(int row) const;
    Kind kindAt(int row) const;
    QString nameAt(int row) const; // "name" or "name (instance)"
    QString statusTextAt(int row) const;
    QList<Session *> sessions() const; // local first, then the attached in order
    // "organism/instance" (or the organism alone without an instance), as billing keys byOrganism.
    QString historyKeyAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    static QString kindText(Kind kind);

private:
    struct Live
    {
        QPointer<Session> session;
        const Session *id = nullptr; // the session, still known while it is being destroyed
        Kind kind = Kind::Attached;
        QString endpoint;
        QString lastName;                    // the organism's name, kept while the connection is gone
        std::optional<HistoryInstance> self; // its own entry in its history
        QList<QMetaObject::Connection> connections;
    };
    struct Found
    {
        HistoryInstance instance;
        QPointer<Session> source;
    };

    void watch(Live &live);
    void onSessionChanged(Session *session);
    void readHistory(Session *session);
    void onHistory(Session *session, const QList<HistoryInstance> &instances);
    void applyFound(const QList<Found> &found);
    QList<Found> collectFound() const;
    void emitRowChanged(int row);
    const Live *liveOf(const Session *session) const;
    Live *liveOf(const Session *session);
    QString liveStatusText(const Live &live) const;
    Status liveStatus(const Live &live) const;
    QString toolTip(int row) const;

    QList<Live> m_live;                                         // rows 0 .. m_live.size() - 1: the local one first
    QList<Found> m_found;                                       // the rows after them, by organism then instance
    QHash<const Session *, QList<HistoryInstance>> m_histories; // the last list each session read
    QTimer m_refresh;
};

} // namespace agentdesk
