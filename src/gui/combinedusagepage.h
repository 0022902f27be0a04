#pragma once

#include <QWidget>

class QLabel;
class QSettings;
class QTableView;

namespace agentdesk {

class CombinedUsageModel;
class CostDisplayProxy;
class OrganismDirectoryModel;

// The team's view of spend: every organism the window lists (local, attached, found in a shared
// history), its tokens, calls and cost, and their sum — with where each row's figures come from and
// how fresh they are. Exported as CSV like the Usage page's tables.
class CombinedUsagePage final : public QWidget
{
    Q_OBJECT
public:
    explicit CombinedUsagePage(OrganismDirectoryModel *directory, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    CombinedUsageModel *model() const { return m_model; }
    QString exportCsv(const QString &path) const; // the error, empty on success

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

signals:
    void statusMessage(const QString &text);
    void commandFailed(const QString &what, const QString &error);

private:
    void chooseExport();
    void fitSourceColumn();

    CombinedUsageModel *m_model;
    CostDisplayProxy *m_display;
    QTableView *m_table;
    QLabel *m_note;
};

} // namespace agentdesk
