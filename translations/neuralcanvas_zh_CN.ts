<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="47"/>
        <source>Design, train and understand convolutional networks.</source>
        <translation>设计、训练并理解卷积神经网络。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="50"/>
        <source>A .ncproj file to open.</source>
        <translation>要打开的 .ncproj 文件。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="51"/>
        <source>Start from template NAME.</source>
        <translation>从模板 NAME 开始。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="53"/>
        <source>Dataset spec for a new project.</source>
        <translation>新项目的数据集规格。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="55"/>
        <source>Edit a parameter: node.param=value.</source>
        <translation>编辑参数：node.param=value。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="57"/>
        <source>Select a layer.</source>
        <translation>选中一个层。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="59"/>
        <source>system, light or dark.</source>
        <translation>system（跟随系统）、light（浅色）或 dark（深色）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="61"/>
        <source>Interface language, e.g. zh_CN.</source>
        <translation>界面语言，例如 zh_CN。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="63"/>
        <source>Window size WxH.</source>
        <translation>窗口大小，格式为 WxH。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="66"/>
        <source>Save a picture of the window to FILE and exit.</source>
        <translation>将窗口截图保存到 FILE 后退出。</translation>
    </message>
</context>
<context>
    <name>nc::ui::Commands</name>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="23"/>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="35"/>
        <source>Delete %1</source>
        <translation>删除 %1</translation>
    </message>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="69"/>
        <source>Connect %1 → %2</source>
        <translation>连接 %1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="77"/>
        <source>Disconnect %1 → %2</source>
        <translation>断开 %1 → %2</translation>
    </message>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="117"/>
        <source>Set %1.%2</source>
        <translation>设置 %1.%2</translation>
    </message>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="134"/>
        <source>Dataset %1</source>
        <translation>数据集 %1</translation>
    </message>
</context>
<context>
    <name>nc::ui::Document</name>
    <message>
        <location filename="../ui/app/Document.cpp" line="19"/>
        <location filename="../ui/app/Document.cpp" line="88"/>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <location filename="../ui/app/Document.cpp" line="26"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/app/Document.cpp" line="57"/>
        <location filename="../ui/app/Document.cpp" line="63"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>nc::ui::ExportDialog</name>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="53"/>
        <source>Verify after export</source>
        <translation>导出后验证</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="54"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="55"/>
        <source>Export Model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="58"/>
        <source>Trained model file</source>
        <translation>已训练的模型文件</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="59"/>
        <source>A trained model (.ncmodel), e.g. a run&apos;s best.ncmodel</source>
        <translation>已训练的模型（.ncmodel），例如某次训练运行的 best.ncmodel</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="61"/>
        <source>Export file</source>
        <translation>导出文件</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="63"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="65"/>
        <source>TorchScript (.pt) — torch.jit.load, LibTorch</source>
        <translation>TorchScript（.pt）— 适用于 torch.jit.load、LibTorch</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="66"/>
        <source>ONNX opset 13 (.onnx) — onnxruntime, OpenCV, TensorRT</source>
        <translation>ONNX opset 13（.onnx）— 适用于 onnxruntime、OpenCV、TensorRT</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="67"/>
        <source>PyTorch code (.py) — readable nn.Module + weight loader</source>
        <translation>PyTorch 代码（.py）— 可读的 nn.Module 及权重加载器</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="71"/>
        <source>Runs the exported file in an independent runtime (Python torch or OpenCV) on random images and reports the largest difference from NeuralCanvas&apos; own output</source>
        <translation>在独立的运行时（Python torch 或 OpenCV）中用随机图像运行导出的文件，并报告其与 NeuralCanvas 自身输出之间的最大差异</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="79"/>
        <location filename="../ui/export/ExportDialog.cpp" line="80"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="82"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="83"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="84"/>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="118"/>
        <source>Choose a Trained Model</source>
        <translation>选择已训练的模型</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="119"/>
        <source>NeuralCanvas models (*.ncmodel)</source>
        <translation>NeuralCanvas 模型 (*.ncmodel)</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="125"/>
        <source>Export As</source>
        <translation>导出为</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="143"/>
        <source>Exporting and checking…</source>
        <translation>正在导出并检查…</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="143"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="153"/>
        <source>Choose a model file and where to save the export.</source>
        <translation>请选择模型文件以及导出文件的保存位置。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="177"/>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="181"/>
        <source>Checked in %1 on 8 random images: largest difference %2%3.</source>
        <translation>已在 %1 中用 8 张随机图像检查：最大差异为 %2%3。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="183"/>
        <source>, and the top class differs</source>
        <translation>，且预测的最高类别不同</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="186"/>
        <source>The check could not run: %1</source>
        <translation>无法运行检查：%1</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="193"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>nc::ui::Format</name>
    <message>
        <location filename="../ui/app/Format.cpp" line="13"/>
        <source>%1 GFLOPs</source>
        <translation>%1 GFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/app/Format.cpp" line="15"/>
        <source>%1 MFLOPs</source>
        <translation>%1 MFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/app/Format.cpp" line="17"/>
        <source>%1 kFLOPs</source>
        <translation>%1 kFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/app/Format.cpp" line="18"/>
        <source>%1 FLOPs</source>
        <translation>%1 FLOPs</translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphEditor</name>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="64"/>
        <source>Insert %1</source>
        <translation>插入 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="77"/>
        <source>Delete %1</source>
        <translation>删除 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/editor/GraphEditor.cpp" line="78"/>
        <source>Delete %n item(s)</source>
        <translation>
            <numerusform>删除 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="116"/>
        <source>Auto-layout</source>
        <translation>自动布局</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/editor/GraphEditor.cpp" line="152"/>
        <source>Paste %n layer(s)</source>
        <translation>
            <numerusform>粘贴 %n 个层</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphModel</name>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="55"/>
        <source>That layer no longer exists.</source>
        <translation>该层已不存在。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="61"/>
        <source>Start a connection at an output port (the bottom of a layer).</source>
        <translation>请从输出端口（层的底部）开始连接。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="63"/>
        <source>Cannot connect an output to an output: drop on an input port at the top of a layer.</source>
        <translation>不能将输出连接到输出：请放到层顶部的输入端口上。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="65"/>
        <source>A layer cannot feed itself.</source>
        <translation>层不能连接到自身。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="68"/>
        <source>%1 takes no input.</source>
        <translation>%1 不接受输入。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="69"/>
        <source>%1 has no input port &apos;%2&apos;.</source>
        <translation>%1 没有名为“%2”的输入端口。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="73"/>
        <source>%1 already takes its input from %2; an input takes one connection, delete that one first.</source>
        <translation>%1 的输入已来自 %2；每个输入只能有一条连接，请先删除那条连接。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="76"/>
        <source>That would make a cycle: %1 already feeds %2, and a network must flow one way.</source>
        <translation>这会形成环路：%1 的输出已流向 %2，而网络中的数据必须单向流动。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="218"/>
        <source>dataset: %1</source>
        <translation>数据集：%1</translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphScene</name>
    <message>
        <location filename="../ui/editor/GraphScene.cpp" line="308"/>
        <source>Move %1</source>
        <translation>移动 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/editor/GraphScene.cpp" line="309"/>
        <source>Move %n layer(s)</source>
        <translation>
            <numerusform>移动 %n 个层</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphView</name>
    <message>
        <location filename="../ui/editor/GraphView.cpp" line="18"/>
        <source>Network canvas</source>
        <translation>网络画布</translation>
    </message>
    <message>
        <location filename="../ui/editor/GraphView.cpp" line="154"/>
        <source>Nudge</source>
        <translation>微移</translation>
    </message>
</context>
<context>
    <name>nc::ui::MainWindow</name>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="58"/>
        <source>Modes</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="60"/>
        <source>Design</source>
        <translation>设计</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="62"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="63"/>
        <location filename="../ui/app/MainWindow.cpp" line="65"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="63"/>
        <source>Coming next: test-set accuracy, per-class precision/recall and a confusion matrix for a trained model.</source>
        <translation>即将推出：已训练模型的测试集准确率、各类别的精确率/召回率以及混淆矩阵。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="66"/>
        <location filename="../ui/app/MainWindow.cpp" line="68"/>
        <source>Inspect</source>
        <translation>检视</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="66"/>
        <source>Coming next: drop an image to see the prediction, feature maps and saliency maps.</source>
        <translation>即将推出：拖入一张图像，查看预测结果、特征图和显著性图。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="88"/>
        <source>Not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="99"/>
        <location filename="../ui/app/MainWindow.cpp" line="170"/>
        <source>Zoom %1%</source>
        <translation>缩放 %1%</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="137"/>
        <source>Layers</source>
        <translation>网络层</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="139"/>
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="142"/>
        <source>Undo history</source>
        <translation>撤销历史</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="143"/>
        <source>&lt;opened&gt;</source>
        <translation>&lt;已打开&gt;</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="144"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="148"/>
        <location filename="../ui/app/MainWindow.cpp" line="150"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="150"/>
        <source>Problems (%1)</source>
        <translation>问题 (%1)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="176"/>
        <source>Dataset: %1</source>
        <translation>数据集：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="179"/>
        <source>Input %1×%2×%3 · %4 classes</source>
        <translation>输入 %1×%2×%3 · %4 个类别</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="180"/>
        <source>Input unknown</source>
        <translation>输入未知</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="181"/>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="182"/>
        <source>%1 per image</source>
        <translation>每张图像 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="184"/>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/app/MainWindow.cpp" line="186"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="196"/>
        <source>%1[*] — NeuralCanvas</source>
        <translation>%1[*] — NeuralCanvas</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="234"/>
        <source>Could not open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="235"/>
        <source>%1 could not be opened.</source>
        <translation>无法打开 %1。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="251"/>
        <source>Could not save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="255"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="274"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="274"/>
        <source>NeuralCanvas projects (*.ncproj)</source>
        <translation>NeuralCanvas 项目 (*.ncproj)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="285"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="287"/>
        <source>NeuralCanvas projects (*.ncproj);;All files (*)</source>
        <translation>NeuralCanvas 项目 (*.ncproj);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="303"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="304"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation>%1 有尚未保存的更改。要保存吗？</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="346"/>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="367"/>
        <source>The clipboard holds no layers.</source>
        <translation>剪贴板中没有层。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="46"/>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="48"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="50"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="52"/>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="54"/>
        <source>&amp;Export Model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="56"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="59"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="64"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="70"/>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="74"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="76"/>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="78"/>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="80"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="83"/>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="89"/>
        <source>&amp;Quick Add Layer…</source>
        <translation>快速添加层(&amp;Q)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="91"/>
        <source>&amp;Find Layer in Palette</source>
        <translation>在面板中查找层(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="93"/>
        <source>Auto-&amp;Layout</source>
        <translation>自动布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="99"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="101"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="103"/>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="105"/>
        <source>&amp;Fit to Window</source>
        <translation>适合窗口(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="107"/>
        <source>&amp;Snap to Grid</source>
        <translation>对齐网格(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="117"/>
        <source>Follow &amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="118"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="119"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="136"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="139"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="149"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="158"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="165"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="168"/>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="171"/>
        <source>&amp;Mode</source>
        <translation>模式(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="175"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="176"/>
        <source>&amp;Keyboard and Mouse</source>
        <translation>键盘和鼠标(&amp;K)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="178"/>
        <source>Keyboard and mouse</source>
        <translation>键盘和鼠标操作</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="179"/>
        <source>&lt;b&gt;Add&lt;/b&gt;: drag a layer from the palette, double-click the canvas, or Ctrl+K.&lt;br&gt;&lt;b&gt;Insert&lt;/b&gt;: drop a layer onto a connection.&lt;br&gt;&lt;b&gt;Connect&lt;/b&gt;: drag from an output port (bottom) to an input port (top).&lt;br&gt;&lt;b&gt;Select&lt;/b&gt;: click, Ctrl+click, or drag a rubber band on empty canvas.&lt;br&gt;&lt;b&gt;Move&lt;/b&gt;: drag, or arrow keys. &lt;b&gt;Pan&lt;/b&gt;: middle button, or Space + drag.&lt;br&gt;&lt;b&gt;Zoom&lt;/b&gt;: wheel, Ctrl + / Ctrl −, Ctrl+0 actual size, Ctrl+9 fit.</source>
        <translation>&lt;b&gt;添加&lt;/b&gt;：从面板中拖出一个层、双击画布，或按 Ctrl+K。&lt;br&gt;&lt;b&gt;插入&lt;/b&gt;：将层拖放到一条连接上。&lt;br&gt;&lt;b&gt;连接&lt;/b&gt;：从输出端口（底部）拖到输入端口（顶部）。&lt;br&gt;&lt;b&gt;选择&lt;/b&gt;：单击、Ctrl+单击，或在画布空白处拖出选框。&lt;br&gt;&lt;b&gt;移动&lt;/b&gt;：拖动，或使用方向键。&lt;b&gt;平移&lt;/b&gt;：鼠标中键，或按住空格键拖动。&lt;br&gt;&lt;b&gt;缩放&lt;/b&gt;：滚轮、Ctrl + / Ctrl −，Ctrl+0 实际大小，Ctrl+9 适合窗口。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="186"/>
        <source>&amp;About NeuralCanvas</source>
        <translation>关于 NeuralCanvas(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="187"/>
        <source>About NeuralCanvas</source>
        <translation>关于 NeuralCanvas</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="188"/>
        <source>&lt;b&gt;NeuralCanvas %1&lt;/b&gt;&lt;br&gt;Design, train and understand convolutional networks.</source>
        <translation>&lt;b&gt;NeuralCanvas %1&lt;/b&gt;&lt;br&gt;设计、训练并理解卷积神经网络。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="192"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="194"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
</context>
<context>
    <name>nc::ui::NodeItem</name>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="42"/>
        <source>%1 filters %2×%2</source>
        <translation>%1 个卷积核 %2×%2</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="45"/>
        <location filename="../ui/editor/NodeItem.cpp" line="57"/>
        <source>stride %1</source>
        <translation>步幅 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="47"/>
        <location filename="../ui/editor/NodeItem.cpp" line="59"/>
        <source>pad %1</source>
        <translation>填充 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="49"/>
        <source>dil %1</source>
        <translation>膨胀 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="51"/>
        <source>groups %1</source>
        <translation>分组 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="53"/>
        <location filename="../ui/editor/NodeItem.cpp" line="63"/>
        <source>no bias</source>
        <translation>无偏置</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="61"/>
        <source>%1 units</source>
        <translation>%1 个单元</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="67"/>
        <source>%1 inputs</source>
        <translation>%1 路输入</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="69"/>
        <source>slope %1</source>
        <translation>斜率 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="75"/>
        <source>smoothing %1</source>
        <translation>平滑 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="78"/>
        <source>momentum %1</source>
        <translation>动量 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="100"/>
        <source>invalid parameters</source>
        <translation>参数无效</translation>
    </message>
    <message>
        <location filename="../ui/editor/NodeItem.cpp" line="123"/>
        <source>%1 params</source>
        <translation>%1 个参数</translation>
    </message>
</context>
<context>
    <name>nc::ui::Palette</name>
    <message>
        <location filename="../ui/panels/LayerIcons.cpp" line="86"/>
        <source>default %1</source>
        <translation>默认 %1</translation>
    </message>
</context>
<context>
    <name>nc::ui::PalettePanel</name>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="39"/>
        <source>Input/Output</source>
        <translation>输入/输出</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="40"/>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="41"/>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="42"/>
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="43"/>
        <source>Regularization</source>
        <translation>正则化</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="44"/>
        <source>Activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="45"/>
        <source>Reshape</source>
        <translation>形状变换</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="46"/>
        <source>Dense</source>
        <translation>全连接</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="47"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="62"/>
        <source>Search layers…</source>
        <translation>搜索网络层…</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="64"/>
        <source>Search layers</source>
        <translation>搜索网络层</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="69"/>
        <source>Layer palette</source>
        <translation>网络层面板</translation>
    </message>
</context>
<context>
    <name>nc::ui::ProblemsPanel</name>
    <message>
        <location filename="../ui/panels/ProblemsPanel.cpp" line="16"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../ui/panels/ProblemsPanel.cpp" line="45"/>
        <source>No problems: the network can be trained.</source>
        <translation>没有问题：网络可以训练。</translation>
    </message>
</context>
<context>
    <name>nc::ui::PropertiesPanel</name>
    <message numerus="yes">
        <location filename="../ui/panels/PropertiesPanel.cpp" line="93"/>
        <source>%n layer(s) selected</source>
        <translation>
            <numerusform>已选中 %n 个层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="184"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="187"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="187"/>
        <source>(untitled)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="190"/>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="201"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="194"/>
        <source>fashion-mnist, shapes[:N], idx:DIR (MNIST-style files) or cifar10:DIR</source>
        <translation>fashion-mnist、shapes[:N]、idx:DIR（MNIST 格式的文件）或 cifar10:DIR</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="202"/>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="203"/>
        <source>Choose dataset folder</source>
        <translation>选择数据集文件夹</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="205"/>
        <source>Dataset folder (IDX or CIFAR-10 binary)</source>
        <translation>数据集文件夹（IDX 或 CIFAR-10 二进制格式）</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/panels/PropertiesPanel.cpp" line="261"/>
        <source>Input %1×%2×%3, %n class(es): %4</source>
        <translation>
            <numerusform>输入 %1×%2×%3，%n 个类别：%4</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="276"/>
        <source>No shape yet.</source>
        <translation>尚无形状。</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="279"/>
        <source>Output %1&lt;br&gt;%2 parameters&lt;br&gt;%3 per image</source>
        <translation>输出 %1&lt;br&gt;%2 个参数&lt;br&gt;每张图像 %3</translation>
    </message>
</context>
<context>
    <name>nc::ui::QuickAddPopup</name>
    <message>
        <location filename="../ui/panels/QuickAddPopup.cpp" line="19"/>
        <source>Add layer…</source>
        <translation>添加层…</translation>
    </message>
    <message>
        <location filename="../ui/panels/QuickAddPopup.cpp" line="20"/>
        <source>Quick add search</source>
        <translation>快速添加搜索</translation>
    </message>
    <message>
        <location filename="../ui/panels/QuickAddPopup.cpp" line="22"/>
        <source>Matching layers</source>
        <translation>匹配的层</translation>
    </message>
</context>
<context>
    <name>nc::ui::RunHistoryPanel</name>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="35"/>
        <source>&lt;b&gt;Runs&lt;/b&gt; — select two or more to compare their curves</source>
        <translation>&lt;b&gt;运行记录&lt;/b&gt; — 选择两条或更多以对比曲线</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="40"/>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Best val. accuracy</source>
        <translation>最佳验证准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="46"/>
        <source>Resume Selected Run</source>
        <translation>继续所选运行</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="48"/>
        <source>Continue the selected run from its last checkpoint, up to the number of epochs set above</source>
        <translation>从最后一个检查点继续所选运行，直到上方设置的轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="67"/>
        <source>training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="70"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="73"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="75"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="77"/>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="79"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>nc::ui::TemplateGallery</name>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="38"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="41"/>
        <source>Start from an empty canvas or a proven architecture:</source>
        <translation>从空白画布或经过验证的架构开始：</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="43"/>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="55"/>
        <source>Empty</source>
        <translation>空白</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="55"/>
        <source>A blank canvas: add Input, your layers and Output from the palette.</source>
        <translation>空白画布：从面板中添加 Input、你的网络层和 Output。</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="60"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainSettingsForm</name>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="60"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="67"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="62"/>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="63"/>
        <source>SGD with Nesterov momentum</source>
        <translation>带 Nesterov 动量的 SGD</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="64"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="65"/>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="66"/>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="73"/>
        <source>Step size of the optimizer, e.g. 0.001 or 1e-3</source>
        <translation>优化器的步长，例如 0.001 或 1e-3</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="74"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="76"/>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="78"/>
        <source>Beta 1</source>
        <translation>Beta 1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="80"/>
        <source>Beta 2</source>
        <translation>Beta 2</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="82"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="84"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="111"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="119"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="85"/>
        <source>Gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="85"/>
        <source>Gradient clipping (max norm)</source>
        <translation>梯度裁剪（最大范数）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="87"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="93"/>
        <source>Learning-rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="89"/>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="90"/>
        <source>Step decay</source>
        <translation>阶梯衰减</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="91"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="92"/>
        <source>One-cycle</source>
        <translation>单周期</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="93"/>
        <source>Schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="95"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="120"/>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="96"/>
        <source>Decay every</source>
        <translation>衰减间隔</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="98"/>
        <source>Decay factor</source>
        <translation>衰减系数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="100"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="102"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="104"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="106"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="107"/>
        <source>Validation fraction</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="108"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="109"/>
        <source>Random horizontal flip</source>
        <translation>随机水平翻转</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="109"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="112"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="113"/>
        <source>Pad each image by this many pixels and crop it back at a random position</source>
        <translation>将每张图像四周填充这么多像素，再在随机位置裁剪回原尺寸</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="114"/>
        <source>Random crop</source>
        <translation>随机裁剪</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="114"/>
        <source>Random crop padding</source>
        <translation>随机裁剪填充</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="116"/>
        <source>From Output layer</source>
        <translation>沿用输出层设置</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="117"/>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="121"/>
        <source>Stop when validation accuracy has not improved for this many epochs</source>
        <translation>验证准确率连续这么多轮没有提升时停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="122"/>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="122"/>
        <source>Early stopping patience</source>
        <translation>提前停止耐心轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="124"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="126"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="128"/>
        <source>GPU %1 (CUDA)</source>
        <translation>GPU %1（CUDA）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="129"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="131"/>
        <source>32-bit float</source>
        <translation>32 位浮点</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="132"/>
        <source>bfloat16 (mixed)</source>
        <translation>bfloat16（混合精度）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="133"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="135"/>
        <source>All cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="136"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="175"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="138"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="144"/>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="150"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="164"/>
        <source>momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="165"/>
        <source>beta 1</source>
        <translation>beta 1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="166"/>
        <source>beta 2</source>
        <translation>beta 2</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="167"/>
        <source>weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="168"/>
        <source>gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="169"/>
        <source>decay factor</source>
        <translation>衰减系数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="170"/>
        <source>validation fraction</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="171"/>
        <source>decay interval</source>
        <translation>衰减间隔</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="172"/>
        <source>epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="173"/>
        <source>batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="174"/>
        <source>early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="178"/>
        <source>label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="181"/>
        <source>random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="185"/>
        <source>schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="188"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="191"/>
        <source>augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="195"/>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="199"/>
        <source>precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="216"/>
        <source>Change %1</source>
        <translation>修改%1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="247"/>
        <source>%1 (not available here)</source>
        <translation>%1（本机不可用）</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainTab</name>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="66"/>
        <source>Start Training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="66"/>
        <source>Train this network with the settings on the left</source>
        <translation>使用左侧的设置训练此网络</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="67"/>
        <location filename="../ui/train/TrainTab.cpp" line="267"/>
        <location filename="../ui/train/TrainTab.cpp" line="288"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="67"/>
        <source>Hold the run after the current batch</source>
        <translation>在当前批次结束后暂停运行</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="68"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="68"/>
        <source>End the run after the current batch; its checkpoints stay</source>
        <translation>在当前批次结束后终止运行；已保存的检查点会保留</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="75"/>
        <source>Not training.</source>
        <translation>未在训练。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="88"/>
        <source>Show Layer</source>
        <translation>显示该层</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="101"/>
        <source>Save Charts as Image…</source>
        <translation>将图表保存为图片…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="103"/>
        <source>Save Data as CSV…</source>
        <translation>将数据保存为 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="157"/>
        <source>The network cannot be trained yet: %1 Fix it in the Design tab (see Problems), then start again.</source>
        <translation>网络暂时无法训练：%1 请在“设计”页中修正（见“问题”面板），然后重新开始。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="164"/>
        <source>The dataset &quot;%1&quot; cannot be read: %2 Choose another dataset in the Input layer&apos;s properties.</source>
        <translation>无法读取数据集“%1”：%2 请在输入层的属性中选择其他数据集。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="211"/>
        <source>This run has no checkpoint to resume from (one is written at the end of every epoch).</source>
        <translation>此运行没有可继续的检查点（每轮结束时才会写入检查点）。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="219"/>
        <source>This run&apos;s record cannot be read: %1</source>
        <translation>无法读取此运行的记录：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="227"/>
        <source>This run has already trained %n epoch(s). Set Epochs above %n to continue it.</source>
        <translation>
            <numerusform>此运行已训练 %n 轮。请将“轮数”设为大于 %n 以继续。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="252"/>
        <source>Loading the dataset and building the network…</source>
        <translation>正在加载数据集并构建网络…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="267"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="275"/>
        <source>Stopping after the current batch…</source>
        <translation>将在当前批次结束后停止…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="312"/>
        <source>Training on %1 images (%2 parameters, %3)…</source>
        <translation>正在用 %1 张图像训练（%2 个参数，%3）…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="344"/>
        <source>Epoch %1/%2 · batch %3/%4 · %5 images/s</source>
        <translation>第 %1/%2 轮 · 批次 %3/%4 · 每秒 %5 张图像</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="351"/>
        <source> · %1 left</source>
        <translation> · 剩余 %1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="353"/>
        <source> · validation accuracy %1%</source>
        <translation> · 验证准确率 %1%</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="355"/>
        <source>Paused — %1</source>
        <translation>已暂停 — %1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="391"/>
        <source>The run failed.</source>
        <translation>运行失败。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="395"/>
        <source>Stopped after %n epoch(s); the run can be resumed from its last checkpoint.</source>
        <translation>
            <numerusform>已在 %n 轮后停止；可从最后一个检查点继续此运行。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="400"/>
        <source>Finished %n epoch(s) in %1; best validation accuracy %2% (epoch %3).</source>
        <translation>
            <numerusform>用时 %1 完成 %n 轮；最佳验证准确率 %2%（第 %3 轮）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="436"/>
        <source>Save charts as image</source>
        <translation>将图表保存为图片</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="437"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="439"/>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="443"/>
        <source>Save chart data</source>
        <translation>保存图表数据</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="444"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="447"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainingCharts</name>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="59"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="60"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="61"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="78"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="70"/>
        <source>Training (per batch)</source>
        <translation>训练（每批次）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="71"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="74"/>
        <source>Training (smoothed)</source>
        <translation>训练（平滑）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="72"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="73"/>
        <source>Validation (per epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="76"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="77"/>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="79"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="80"/>
        <source>smoothed loss</source>
        <translation>平滑损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="81"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="82"/>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="83"/>
        <source>training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="84"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="85"/>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="86"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="265"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="105"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="152"/>
        <source>%1
epoch %2: %3 = %4</source>
        <translation>%1
第 %2 轮：%3 = %4</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="261"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="263"/>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="262"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="264"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainingLock</name>
    <message>
        <location filename="../ui/train/TrainingLock.cpp" line="40"/>
        <source>🔒 Training: the graph is locked. The running model was built from the graph as it was when training started; stop the run to edit layers or connections.</source>
        <translation>🔒 正在训练：网络图已锁定。正在运行的模型是按开始训练时的网络图构建的；停止运行后才能编辑层或连接。</translation>
    </message>
</context>
</TS>
