#pragma once
#include <QDialog>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace nc::ui {

struct RecoveredProject;

// Offers the projects a crashed session left unsaved: each with its name, where it was saved,
// when it was autosaved and what differs from the saved file, and Restore / Discard for each
// one or for all. "Decide Later" keeps them for the next start. Restoring is the receiver's job
// (restoreRequested); an autosave that cannot be read can only be discarded.
class RecoveryDialog final : public QDialog {
    Q_OBJECT
  public:
    explicit RecoveryDialog(std::vector<std::shared_ptr<RecoveredProject>> projects,
                            QWidget* parent = nullptr);
    ~RecoveryDialog() override;

    int count() const { return int(m_entries.size()); }
    const RecoveredProject* project(int index) const; // null once decided
    QString entryText(int index) const;               // what the entry says, for tests and readers
    QPushButton* restoreButton(int index) const;
    QPushButton* discardButton(int index) const;

    void restore(int index);
    void discard(int index);
    void restoreAll();
    void discardAll();

  Q_SIGNALS:
    // The receiver shows `project` as an unsaved document and takes over its folder; returns
    // through `restored` whether it did.
    void restoreRequested(std::shared_ptr<nc::ui::RecoveredProject> project, bool* restored);

  private:
    struct Entry {
        std::shared_ptr<RecoveredProject> project;
        QWidget* row = nullptr;
        QLabel* state = nullptr;
        QPushButton* restore = nullptr;
        QPushButton* discard = nullptr;
    };
    QWidget* makeRow(Entry& entry, int index);
    void decided(int index, const QString& how);
    void closeIfDone();

    std::vector<Entry> m_entries;
    QPushButton* m_restoreAll;
    QPushButton* m_discardAll;
};

} // namespace nc::ui
