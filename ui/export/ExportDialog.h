#pragma once
#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace nc::ui {

class EngineController;

// Export a trained model (.ncmodel) as TorchScript, ONNX or PyTorch code. The export and the
// check ("verify after export", on by default) run on the engine thread; the dialog stays live
// and reports the largest difference the independent runtime found.
class ExportDialog final : public QDialog {
    Q_OBJECT
public:
    ExportDialog(EngineController* engine, QWidget* parent = nullptr);

    void setModelPath(const QString& path);
    void setFormat(const QString& formatName); // "torchscript", "onnx" or "python"
    void setOutputPath(const QString& path);
    void setVerify(bool verify);
    QString resultText() const;
    bool isBusy() const { return m_busy; }

    void startExport();

Q_SIGNALS:
    void exportFinished(bool ok, const QString& message);

private:
    void browseModel();
    void browseOutput();
    void suggestOutputPath();
    void setBusy(bool busy);

    EngineController* m_engine;
    QLineEdit* m_model;
    QComboBox* m_format;
    QLineEdit* m_output;
    QCheckBox* m_verify;
    QLabel* m_result;
    QPushButton* m_export;
    bool m_busy = false;
};

} // namespace nc::ui
