#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QString>

namespace agentdesk {

// What every table model of the window shares: a flat table of a fixed number of columns, a horizontal
// header of column titles, and RawValueRole — the cell's value unformatted, which views sort on and CSV
// exports write — named "rawValue" with the model's own roles. A model says only what is its own:
// columnTitle() and extraRoleNames().
class TableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum { RawValueRole = Qt::UserRole };

    explicit TableModel(int columnCount, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const final;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const final;
    QHash<int, QByteArray> roleNames() const final;

protected:
    // The horizontal header's text of `column` (0 <= column < columnCount()).
    virtual QString columnTitle(int column) const = 0;
    // The model's roles after RawValueRole, with their names.
    virtual QHash<int, QByteArray> extraRoleNames() const { return {}; }

private:
    int m_columnCount;
};

} // namespace agentdesk
