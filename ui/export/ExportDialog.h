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

    void setModelPath(const QString& path); // as the user's choice: the output goes beside it
    // The model in use, offered when the dialog opens; ignored once the user chose a model here.
    void offerModel(const QString& path);
    void setStartFolder(const QString& folder); // where Browse… starts without a model or output
    QString modelPath() const;
    QString outputPath() const;
    void setFormat(const QString& formatName); // "torchscript", "onnx", "python" or "tflite"
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
    void suggestOutputPath();  // beside the model
    void changeOutputExtension(); // keeps the chosen folder and name
    void setBusy(bool busy);

    EngineController* m_engine;
    QLineEdit* m_model;
    QComboBox* m_format;
    QLineEdit* m_output;
    QCheckBox* m_verify;
    QLabel* m_result;
    QPushButton* m_export;
    bool m_busy = false;
    bool m_modelChosen = false; // the user picked or typed the model in this dialog
    QString m_startFolder;
};

} // namespace nc::ui
