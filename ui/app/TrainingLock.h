#pragma once
#include <QObject>
#include <QPointer>

class QLabel;

namespace nc::ui {

class MainWindow;

// Locks the graph against structural edits while a run trains (the running model was compiled
// from the graph as it was at Start): the palette, properties, edit actions, undo/redo, new/open
// and canvas gestures are disabled, and a banner on the canvas says why. The canvas can still be
// panned, zoomed and read.
class TrainingLock final : public QObject {
    Q_OBJECT
  public:
    explicit TrainingLock(MainWindow* window);

    void setLocked(bool locked);
    bool isLocked() const { return m_locked; }
    QString explanation() const; // the banner's text

  private:
    void applyToActions();

    MainWindow* m_window;
    QLabel* m_banner;
    bool m_locked = false;
};

} // namespace nc::ui
