<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>LatentView</name>
    <message>
        <location filename="../ui/engine/LatentWalk.cpp" line="43"/>
        <location filename="../ui/engine/LatentWalk.cpp" line="44"/>
        <source>z from seed %1</source>
        <translation>种子 %1 的 z</translation>
    </message>
    <message>
        <location filename="../ui/engine/LatentWalk.cpp" line="70"/>
        <source>A GAN has no encoder: its latent space cannot be mapped from images.</source>
        <translation>GAN 没有编码器：无法从图像绘制其潜空间。</translation>
    </message>
    <message>
        <location filename="../ui/engine/LatentWalk.cpp" line="92"/>
        <source>No latent map: the model&apos;s dataset %1 could not be read (%2).</source>
        <translation>没有潜空间图：无法读取模型的数据集 %1（%2）。</translation>
    </message>
    <message>
        <location filename="../ui/engine/LatentWalk.cpp" line="118"/>
        <source>The samples could not be judged by %1: %2</source>
        <translation>无法用 %1 评判样本：%2</translation>
    </message>
</context>
<context>
    <name>Templates</name>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="11"/>
        <source>The TensorFlow/Keras tutorial CNN: three 3×3 convolutions, two max-pools, a 64-unit dense layer (93,322 parameters on 28×28×1)</source>
        <translation>TensorFlow/Keras 教程中的 CNN：三个 3×3 卷积、两个最大池化、一个 64 单元的全连接层（在 28×28×1 上共 93,322 个参数）</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="13"/>
        <source>LeCun&apos;s LeNet-5 (1998): two 5×5 convolutions with average pooling and tanh, then 120-84-10 dense layers</source>
        <translation>LeCun 的 LeNet-5（1998）：两个 5×5 卷积，使用平均池化和 tanh，之后是 120-84-10 全连接层</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="15"/>
        <source>A multilayer perceptron: 256 and 128 ReLU units with dropout; the baseline every CNN should beat</source>
        <translation>多层感知机：256 和 128 个 ReLU 单元，带 dropout；任何 CNN 都应胜过的基线</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="17"/>
        <source>A small ResNet: a 3×3 stem and three residual blocks (16, 32, 64 channels) joined with Add, global average pooling and a dense classifier</source>
        <translation>小型 ResNet：一个 3×3 起始卷积和三个残差块（16、32、64 通道），以 Add 连接，接全局平均池化和全连接分类器</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="19"/>
        <source>A small VGG: two blocks of two 3×3 convolutions with batch norm, max-pool and dropout, then a 256-unit dense layer</source>
        <translation>小型 VGG：两组各含两个带批归一化的 3×3 卷积、最大池化和 dropout，之后是 256 单元的全连接层</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="21"/>
        <source>A recurrent classifier: the image read row by row (28 steps of 28 pixels) by a 128-unit LSTM, then a linear layer</source>
        <translation>循环网络分类器：由 128 单元的 LSTM 逐行读取图像（28 步，每步 28 个像素），之后是一个线性层</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="23"/>
        <source>A convolutional variational autoencoder: two strided convolutions encode the image into a 16-dimensional latent (μ, log σ²), two transposed convolutions decode it; trained on the ELBO (reconstruction + KL)</source>
        <translation>卷积变分自编码器：两个带步长的卷积把图像编码为 16 维潜变量（μ、log σ²），两个转置卷积将其解码；以 ELBO（重建 + KL）训练</translation>
    </message>
    <message>
        <location filename="../ui/document/TemplateText.cpp" line="26"/>
        <source>A DCGAN (the LibTorch C++ example&apos;s networks): a generator of transposed convolutions from 100 random numbers to a 28×28 image (1→4→7→14→28) and a convolutional discriminator that sees real and generated images; two phases, Adam 2e-4, β1 0.5</source>
        <translation>DCGAN（LibTorch C++ 示例的网络）：生成器用转置卷积把 100 个随机数变成 28×28 图像（1→4→7→14→28），卷积判别器同时看真实图像和生成图像；两个训练阶段，Adam 2e-4，β1 0.5</translation>
    </message>
</context>
<context>
    <name>WindowDrop</name>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="69"/>
        <source>“%1” does not exist (any more).</source>
        <translation>“%1”不存在（或已被删除）。</translation>
    </message>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="80"/>
        <source>“%1” is not an image. Drop a PNG, JPEG, BMP, TIFF or WebP file to classify it, a project (.ncproj) to open it, or a trained model (.ncmodel) to evaluate it.</source>
        <translation>“%1”不是图像。请拖入 PNG、JPEG、BMP、TIFF 或 WebP 文件进行分类，拖入项目（.ncproj）将其打开，或拖入训练好的模型（.ncmodel）进行评估。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="62"/>
        <source>Design, train and understand convolutional networks.</source>
        <translation>设计、训练并理解卷积神经网络。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="65"/>
        <source>A .ncproj file to open.</source>
        <translation>要打开的 .ncproj 文件。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="66"/>
        <source>Start from template NAME.</source>
        <translation>从模板 NAME 开始。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="68"/>
        <source>Dataset spec for a new project.</source>
        <translation>新项目的数据集规格。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="70"/>
        <source>Edit a parameter: node.param=value.</source>
        <translation>编辑参数：node.param=value。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="72"/>
        <source>Select a layer.</source>
        <translation>选中一个层。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="74"/>
        <source>system, light or dark.</source>
        <translation>system（跟随系统）、light（浅色）或 dark（深色）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="76"/>
        <source>Interface language, e.g. zh_CN.</source>
        <translation>界面语言，例如 zh_CN。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="78"/>
        <source>Window size WxH.</source>
        <translation>窗口大小，格式为 WxH。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="81"/>
        <source>Save a picture of the window to FILE and exit.</source>
        <translation>将窗口截图保存到 FILE 后退出。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="85"/>
        <source>Train N epochs from the Train tab; with --screenshot, grab the window when done.</source>
        <translation>在“训练”页中训练 N 轮；与 --screenshot 一起使用时，训练完成后截取窗口。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="88"/>
        <source>Open a trained model (.ncmodel) in the Evaluate and Inspect tabs.</source>
        <translation>在“评估”和“检视”页中打开已训练的模型（.ncmodel）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="92"/>
        <source>Evaluate the model (--model or the trained one) on the test set.</source>
        <translation>在测试集上评估模型（--model 指定的模型或刚训练的模型）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="94"/>
        <source>Inspect IMAGE as if it were dropped on the window.</source>
        <translation>检视图像 IMAGE，效果等同于将其拖放到窗口上。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="98"/>
        <source>Saliency method for --inspect: gradient, smoothgrad, integrated-gradients or grad-cam.</source>
        <translation>--inspect 使用的显著性方法：gradient、smoothgrad、integrated-gradients 或 grad-cam。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="102"/>
        <source>Do not offer to restore projects a crashed session left unsaved.</source>
        <translation>不提示恢复因上次会话崩溃而未保存的项目。</translation>
    </message>
</context>
<context>
    <name>nc::ui::AugmentPreview</name>
    <message>
        <location filename="../ui/train/AugmentPreview.cpp" line="35"/>
        <source>Augmentation preview</source>
        <translation>数据增强预览</translation>
    </message>
    <message>
        <location filename="../ui/train/AugmentPreview.cpp" line="39"/>
        <source>Sample images appear here once the dataset is read.</source>
        <translation>读取数据集后，这里会显示样例图像。</translation>
    </message>
    <message>
        <location filename="../ui/train/AugmentPreview.cpp" line="50"/>
        <source>This dataset has no images to preview.</source>
        <translation>此数据集没有可预览的图像。</translation>
    </message>
</context>
<context>
    <name>nc::ui::Autosave</name>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="176"/>
        <source>autosave is off</source>
        <translation>自动保存已关闭</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="204"/>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="223"/>
        <source>cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="241"/>
        <source>cannot create a session folder in %1</source>
        <translation>无法在 %1 中创建会话文件夹</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="309"/>
        <source>Unknown project</source>
        <translation>未知项目</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="317"/>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="320"/>
        <source>Layers: %1, connections: %2</source>
        <translation>层：%1，连接：%2</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="324"/>
        <source>The saved file no longer exists (layers: %1, connections: %2)</source>
        <translation>已保存的文件已不存在（层：%1，连接：%2）</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="332"/>
        <source>The saved file cannot be read: %1</source>
        <translation>无法读取已保存的文件：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="372"/>
        <source>%1 added</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="372"/>
        <source>%1 and %2 more added</source>
        <translation>已添加 %1 及另外 %2 个层</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="373"/>
        <source>%1 removed</source>
        <translation>已删除 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="373"/>
        <source>%1 and %2 more removed</source>
        <translation>已删除 %1 及另外 %2 个层</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="374"/>
        <source>%1 changed</source>
        <translation>已修改 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="374"/>
        <source>%1 and %2 more changed</source>
        <translation>已修改 %1 及另外 %2 个层</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="376"/>
        <source>connections added: %1</source>
        <translation>添加的连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="378"/>
        <source>connections removed: %1</source>
        <translation>删除的连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="380"/>
        <source>layers moved: %1</source>
        <translation>移动的层：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="382"/>
        <source>dataset changed to %1</source>
        <translation>数据集改为 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="384"/>
        <source>training settings changed</source>
        <translation>训练设置已修改</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="386"/>
        <source>runs added: %1</source>
        <translation>添加的运行：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="388"/>
        <source>run history changed</source>
        <translation>运行历史已修改</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="390"/>
        <source>name or description changed</source>
        <translation>名称或描述已修改</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="392"/>
        <source>Same as the saved file</source>
        <translation>与已保存的文件相同</translation>
    </message>
    <message>
        <location filename="../ui/app/Autosave.cpp" line="393"/>
        <source>Compared with the saved file: %1</source>
        <translation>与已保存的文件相比：%1</translation>
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
        <source>Rename project to %1</source>
        <translation>将项目重命名为 %1</translation>
    </message>
    <message>
        <location filename="../ui/commands/GraphCommands.cpp" line="144"/>
        <source>Dataset %1</source>
        <translation>数据集 %1</translation>
    </message>
</context>
<context>
    <name>nc::ui::CompressTab</name>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="63"/>
        <source>&lt;b&gt;Make the model smaller and faster.&lt;/b&gt; Each variant is written beside the model, measured here (test accuracy, size, latency on this machine) and added to the table; &lt;code&gt;neuralcanvas-cli compress&lt;/code&gt; makes the same ones.</source>
        <translation>&lt;b&gt;让模型更小、更快。&lt;/b&gt;每个变体都写在模型旁边，在这里测量（测试准确率、大小、本机延迟）并加入表格；&lt;code&gt;neuralcanvas-cli compress&lt;/code&gt; 生成的是同样的变体。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="74"/>
        <source>Model to compress</source>
        <translation>要压缩的模型</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="75"/>
        <source>A trained model (.ncmodel): the selected run&apos;s best model by default</source>
        <translation>已训练的模型（.ncmodel）：默认为所选运行的最佳模型</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="76"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="79"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="85"/>
        <source> % of channels</source>
        <translation> % 的通道</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="92"/>
        <source> % of weights</source>
        <translation> % 的权重</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="99"/>
        <source>Epochs of fine-tuning after pruning, with the project&apos;s training settings</source>
        <translation>剪枝后微调的轮数，使用项目的训练设置</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="103"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="105"/>
        <source>Prune</source>
        <translation>剪枝</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="107"/>
        <source>Sparsity</source>
        <translation>稀疏度</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="109"/>
        <source>Fine-tune epochs</source>
        <translation>微调轮数</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="111"/>
        <source>Test images</source>
        <translation>测试图像</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="114"/>
        <source>Settings:</source>
        <translation>设置：</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="118"/>
        <source>Measure Original</source>
        <translation>测量原模型</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="120"/>
        <source>Quantize to int8</source>
        <translation>量化为 int8</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="122"/>
        <source>Post-training int8 quantisation calibrated on 512 training images (compress --quantize int8)</source>
        <translation>训练后 int8 量化，用 512 张训练图像校准（compress --quantize int8）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="123"/>
        <source>Prune Channels</source>
        <translation>通道剪枝</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="125"/>
        <source>Removes the weakest channels of each convolution, then fine-tunes: a smaller graph, written as a project too (compress --prune-channels)</source>
        <translation>移除每个卷积最弱的通道，然后微调：得到更小的网络图，同时写成一个项目（compress --prune-channels）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="127"/>
        <source>Sparsify</source>
        <translation>稀疏化</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="129"/>
        <source>Sets the smallest weights to zero and fine-tunes: the same graph, a file that compresses smaller (compress --sparsity)</source>
        <translation>将最小的权重置零并微调：网络图不变，文件压缩后更小（compress --sparsity）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="131"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="138"/>
        <source>No variants yet.</source>
        <translation>还没有变体。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="150"/>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="150"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="150"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="150"/>
        <source>File (zlib)</source>
        <translation>文件（zlib）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="150"/>
        <source>MFLOPs</source>
        <translation>MFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="151"/>
        <source>Test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="151"/>
        <source>Batch 1 (ms)</source>
        <translation>批量 1（毫秒）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="151"/>
        <source>Batch 64 (ms)</source>
        <translation>批量 64（毫秒）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="159"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="161"/>
        <source>Serve</source>
        <translation>部署</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="163"/>
        <source>Open as Project</source>
        <translation>作为项目打开</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="171"/>
        <source>Test accuracy against compressed size</source>
        <translation>测试准确率与压缩后大小</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="175"/>
        <source>file after zlib (KB)</source>
        <translation>zlib 压缩后文件（KB）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="178"/>
        <source>test accuracy (%)</source>
        <translation>测试准确率（%）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="194"/>
        <source>Model to Compress</source>
        <translation>要压缩的模型</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="195"/>
        <source>NeuralCanvas models (*.ncmodel)</source>
        <translation>NeuralCanvas 模型 (*.ncmodel)</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="258"/>
        <source>Cancelling after the current batch…</source>
        <translation>将在当前批次之后取消…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="300"/>
        <source>Choose a trained model (.ncmodel) first.</source>
        <translation>请先选择一个已训练的模型（.ncmodel）。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="301"/>
        <source>%1 is not a file.</source>
        <translation>%1 不是文件。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="312"/>
        <location filename="../ui/deploy/CompressTab.cpp" line="391"/>
        <source>Measuring %1…</source>
        <translation>正在测量 %1…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="313"/>
        <source>Quantising %1 to int8 (calibration, then measuring)…</source>
        <translation>正在将 %1 量化为 int8（先校准，再测量）…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="314"/>
        <source>Pruning %1 and fine-tuning…</source>
        <translation>正在剪枝 %1 并微调…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="315"/>
        <source>Sparsifying %1 and fine-tuning…</source>
        <translation>正在稀疏化 %1 并微调…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="345"/>
        <source>Fine-tuning: epoch %1 of %2, validation accuracy %3</source>
        <translation>微调：第 %1 / %2 轮，验证准确率 %3</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="356"/>
        <source>%1 (int8)</source>
        <translation>%1（int8）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="357"/>
        <source>%1 (original)</source>
        <translation>%1（原模型）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="363"/>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="373"/>
        <source>pruned %1 %</source>
        <translation>剪枝 %1 %</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="382"/>
        <source>sparse %1 %</source>
        <translation>稀疏 %1 %</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="414"/>
        <source>Wrote %1%2.</source>
        <translation>已写入 %1%2。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="419"/>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；没有写入任何文件。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="420"/>
        <source>Could not make the variant: %1</source>
        <translation>无法生成该变体：%1</translation>
    </message>
    <message>
        <location filename="../ui/deploy/CompressTab.cpp" line="435"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>nc::ui::ConfusionMatrixView</name>
    <message>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="28"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="78"/>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="173"/>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="114"/>
        <source>Evaluate the model to see which classes it confuses.</source>
        <translation>评估模型后，即可查看它会混淆哪些类别。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="168"/>
        <source>Predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="210"/>
        <source>%1 recognised correctly: %2 images (%3% of the class)</source>
        <translation>%1 识别正确：%2 张图像（占该类别的 %3%）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/ConfusionMatrixView.cpp" line="212"/>
        <source>%1 taken for %2: %3 images (%4% of the class)</source>
        <translation>%1 被误认为 %2：%3 张图像（占该类别的 %4%）</translation>
    </message>
</context>
<context>
    <name>nc::ui::DeployTab</name>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="77"/>
        <source>Follow the running training: serve each new best model as soon as the run saves it</source>
        <translation>跟随正在进行的训练：训练每保存一个新的最佳模型，就立即部署它</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="80"/>
        <source>The new model replaces the served one without failing a request; the model&apos;s version counts up, so clients can see which one answered</source>
        <translation>新模型替换正在服务的模型，不会让任何请求失败；模型版本号递增，客户端可以看出是哪个版本作答</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="241"/>
        <source>Serving %1 version %2 at %3: the running training&apos;s best model so far.</source>
        <translation>正在 %3 部署 %1 的第 %2 版：当前训练迄今最好的模型。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="251"/>
        <source>Could not serve the run&apos;s new best model (%1); still serving version %2.</source>
        <translation>无法部署本次训练的新最佳模型（%1）；仍在部署第 %2 版。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="61"/>
        <source>&lt;b&gt;Serve a trained model&lt;/b&gt; over the KServe v2 and TF Serving REST APIs on this machine (127.0.0.1), as &lt;code&gt;neuralcanvas-cli serve&lt;/code&gt; does. See docs/SERVING.md for every endpoint.</source>
        <translation>&lt;b&gt;部署训练好的模型&lt;/b&gt;：在本机（127.0.0.1）通过 KServe v2 和 TF Serving REST API 提供服务，与 &lt;code&gt;neuralcanvas-cli serve&lt;/code&gt; 相同。所有接口见 docs/SERVING.md。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="71"/>
        <location filename="../ui/deploy/DeployTab.cpp" line="162"/>
        <source>Model to serve</source>
        <translation>要部署的模型</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="72"/>
        <source>A trained model (.ncmodel): the selected run&apos;s best model by default</source>
        <translation>训练好的模型（.ncmodel）：默认为所选运行的最佳模型</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="73"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="76"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="87"/>
        <source>0 picks a free port</source>
        <translation>0 表示自动选择空闲端口</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="88"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="91"/>
        <source>Start Serving</source>
        <translation>开始服务</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="93"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="100"/>
        <location filename="../ui/deploy/DeployTab.cpp" line="402"/>
        <source>Not serving.</source>
        <translation>未在服务。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="109"/>
        <source>Try It with an Image…</source>
        <translation>用图像试一试…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="111"/>
        <source>Send an image file through the server&apos;s HTTP API (:classify), as a client would</source>
        <translation>像客户端一样，通过服务器的 HTTP API（:classify）发送图像文件</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="122"/>
        <source>Requests per second and latency</source>
        <translation>每秒请求数与延迟</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="126"/>
        <source>requests/s</source>
        <translation>请求/秒</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="128"/>
        <source>p50 latency (ms)</source>
        <translation>p50 延迟（毫秒）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="130"/>
        <source>p99 latency (ms)</source>
        <translation>p99 延迟（毫秒）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="132"/>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="151"/>
        <source>&lt;b&gt;Clients&lt;/b&gt; (copy and run):</source>
        <translation>&lt;b&gt;客户端&lt;/b&gt;（复制后运行）：</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="162"/>
        <source>NeuralCanvas models (*.ncmodel)</source>
        <translation>NeuralCanvas 模型 (*.ncmodel)</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="169"/>
        <source>Try It with an Image</source>
        <translation>用图像试一试</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="170"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="263"/>
        <source>Cannot send %1: it cannot be read or is over 8 MB.</source>
        <translation>无法发送 %1：文件无法读取或超过 8 MB。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="270"/>
        <source>Sending %1…</source>
        <translation>正在发送 %1…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="281"/>
        <source>%1 → %2 (over HTTP, %3)</source>
        <translation>%1 → %2（通过 HTTP，%3）</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="284"/>
        <source>%1 was not classified: %2</source>
        <translation>%1 未能分类：%2</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="306"/>
        <source>Choose a trained model first: train the network, or Browse… for a .ncmodel.</source>
        <translation>请先选择训练好的模型：训练网络，或通过“浏览…”选择 .ncmodel 文件。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="311"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="347"/>
        <source>Serving %1 at %2 (KServe v2: %2/v2/models/%1/infer; input %3, pixels in [0, 1]).</source>
        <translation>正在 %2 提供 %1（KServe v2：%2/v2/models/%1/infer；输入 %3，像素取值 [0, 1]）。</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="380"/>
        <source>Could not start serving: %1</source>
        <translation>无法启动服务：%1</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="392"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../ui/deploy/DeployTab.cpp" line="450"/>
        <source>%1 requests answered · %2 refused · %3 in flight · %4 images per forward pass on average</source>
        <translation>已应答 %1 个请求 · 拒绝 %2 个 · 处理中 %3 个 · 每次前向计算平均 %4 张图像</translation>
    </message>
</context>
<context>
    <name>nc::ui::Document</name>
    <message>
        <location filename="../ui/document/Document.cpp" line="21"/>
        <location filename="../ui/document/Document.cpp" line="59"/>
        <location filename="../ui/document/Document.cpp" line="120"/>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <location filename="../ui/document/Document.cpp" line="28"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/document/Document.cpp" line="85"/>
        <location filename="../ui/document/Document.cpp" line="93"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>nc::ui::EngineController</name>
    <message>
        <location filename="../ui/engine/EngineController.cpp" line="277"/>
        <source>live weights of run %1</source>
        <translation>运行 %1 的实时权重</translation>
    </message>
    <message>
        <location filename="../ui/engine/EngineController.cpp" line="284"/>
        <source>weights at the end of run %1</source>
        <translation>运行 %1 结束时的权重</translation>
    </message>
    <message>
        <location filename="../ui/engine/EngineController.cpp" line="423"/>
        <source>The model %1 could not be opened: %2</source>
        <translation>无法打开模型 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/engine/EngineController.cpp" line="228"/>
        <source>64 samples of the same latent noise, %1</source>
        <translation>同一潜在噪声的 64 个样本，%1</translation>
    </message>
    <message>
        <location filename="../ui/engine/EngineController.cpp" line="237"/>
        <source>Test images, their reconstructions and 16 samples, %1</source>
        <translation>测试图像、它们的重建和 16 个样本，%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/engine/EngineController.cpp" line="257"/>
        <source>after %n batch(es)</source>
        <translation>
            <numerusform>%n 个批次后</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/engine/EngineController.cpp" line="263"/>
        <source>after epoch %1</source>
        <translation>第 %1 轮后</translation>
    </message>
</context>
<context>
    <name>nc::ui::EpochCurvesView</name>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="184"/>
        <source>Validation accuracy by epoch</source>
        <translation>各轮验证准确率</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="221"/>
        <source>epoch (1 to %1)</source>
        <translation>轮次（1 到 %1）</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="222"/>
        <source>validation accuracy by epoch</source>
        <translation>各轮验证准确率</translation>
    </message>
</context>
<context>
    <name>nc::ui::EvaluateTab</name>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="54"/>
        <source>Evaluate on Test Set</source>
        <translation>在测试集上评估</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="56"/>
        <source>Run the model on every test image of the project&apos;s dataset</source>
        <translation>在项目数据集的每张测试图像上运行模型</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="86"/>
        <source>&lt;b&gt;Confusion matrix&lt;/b&gt; — click a cell to see its images</source>
        <translation>&lt;b&gt;混淆矩阵&lt;/b&gt; — 点击单元格查看其中的图像</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="89"/>
        <source>Counts</source>
        <translation>计数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="90"/>
        <source>Normalised by true class</source>
        <translation>按真实类别归一化</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="99"/>
        <source>Per-class metrics</source>
        <translation>各类别指标</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="100"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="100"/>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="100"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="100"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="100"/>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="112"/>
        <source>&lt;b&gt;Images&lt;/b&gt; — click a cell of the matrix</source>
        <translation>&lt;b&gt;图像&lt;/b&gt; — 点击矩阵中的单元格</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="115"/>
        <source>All Mistakes</source>
        <translation>全部误判</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="117"/>
        <source>Every misclassified test image</source>
        <translation>所有被误分类的测试图像</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="121"/>
        <source>Most confident first</source>
        <translation>置信度从高到低</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="122"/>
        <source>Least confident first</source>
        <translation>置信度从低到高</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="123"/>
        <source>Test set order</source>
        <translation>测试集顺序</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="128"/>
        <source>Test images of the selected cell</source>
        <translation>所选单元格中的测试图像</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="137"/>
        <source>Click an image to inspect it</source>
        <translation>点击图像即可检视</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="180"/>
        <source>No model yet: train the network in the Train tab, or select a run there and press “Evaluate and Inspect Best Model”.</source>
        <translation>尚无模型：请在“训练”页中训练网络，或在该页选择一次运行并点击“评估并检视最佳模型”。</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="185"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="193"/>
        <source>%1 (for %2; evaluate again for the current model)</source>
        <translation>%1（评估的是 %2；如需当前模型的结果，请重新评估）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="226"/>
        <source>Accuracy %1% on %2 test images · loss %3 · macro F1 %4 · %5 s</source>
        <translation>准确率 %1%（%2 张测试图像）· 损失 %3 · 宏平均 F1 %4 · %5 s</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="304"/>
        <source>&lt;b&gt;All mistakes&lt;/b&gt;: %n image(s)</source>
        <translation>
            <numerusform>&lt;b&gt;全部误判&lt;/b&gt;：%n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="305"/>
        <source>&lt;b&gt;True %1 · predicted %2&lt;/b&gt;: %n image(s)</source>
        <translation>
            <numerusform>&lt;b&gt;真实为 %1 · 预测为 %2&lt;/b&gt;：%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="308"/>
        <source> (showing %1)</source>
        <translation>（显示前 %1 张）</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="317"/>
        <source>Test image #%1 · true %2 · predicted %3 with %4% confidence</source>
        <translation>测试图像 #%1 · 真实类别 %2 · 预测为 %3，置信度 %4%</translation>
    </message>
    <message>
        <location filename="../ui/evaluate/EvaluateTab.cpp" line="338"/>
        <source>test image #%1 (true class: %2)</source>
        <translation>测试图像 #%1（真实类别：%2）</translation>
    </message>
</context>
<context>
    <name>nc::ui::ExportDialog</name>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="51"/>
        <source>Verify after export</source>
        <translation>导出后验证</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="52"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="53"/>
        <source>Export Model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="56"/>
        <source>Trained model file</source>
        <translation>已训练的模型文件</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="57"/>
        <source>A trained model (.ncmodel), e.g. a run&apos;s best.ncmodel</source>
        <translation>已训练的模型（.ncmodel），例如某次训练运行的 best.ncmodel</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="59"/>
        <source>Export file</source>
        <translation>导出文件</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="61"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="63"/>
        <source>TorchScript (.pt) — torch.jit.load, LibTorch</source>
        <translation>TorchScript（.pt）— 适用于 torch.jit.load、LibTorch</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="64"/>
        <source>ONNX opset 13 (.onnx) — onnxruntime, OpenCV, TensorRT</source>
        <translation>ONNX opset 13（.onnx）— 适用于 onnxruntime、OpenCV、TensorRT</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="65"/>
        <source>TFLite (.tflite) — Android, LiteRT, ArmNN</source>
        <translation>TFLite（.tflite）— Android、LiteRT、ArmNN</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="66"/>
        <source>PyTorch code (.py) — readable nn.Module + weight loader</source>
        <translation>PyTorch 代码（.py）— 可读的 nn.Module 及权重加载器</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="70"/>
        <source>Runs the exported file in an independent runtime (Python torch or OpenCV) on random images and reports the largest difference from NeuralCanvas&apos; own output</source>
        <translation>在独立的运行时（Python torch 或 OpenCV）中用随机图像运行导出的文件，并报告其与 NeuralCanvas 自身输出之间的最大差异</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="78"/>
        <location filename="../ui/export/ExportDialog.cpp" line="79"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="81"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="82"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="83"/>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="133"/>
        <source>Choose a Trained Model</source>
        <translation>选择已训练的模型</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="135"/>
        <source>NeuralCanvas models (*.ncmodel)</source>
        <translation>NeuralCanvas 模型 (*.ncmodel)</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="141"/>
        <source>Export As</source>
        <translation>导出为</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="172"/>
        <source>Exporting and checking…</source>
        <translation>正在导出并检查…</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="172"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="182"/>
        <source>Choose a model file and where to save the export.</source>
        <translation>请选择模型文件以及导出文件的保存位置。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="194"/>
        <source>its generator</source>
        <translation>其生成器</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="194"/>
        <source>its decoder</source>
        <translation>其解码器</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="213"/>
        <source>The export to %1 did not pass its check, so it was not kept.</source>
        <translation>导出到 %1 的文件未通过检查，因此未保留。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="216"/>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="217"/>
        <source>Exported %1 (a latent in, pixels in [0, 1] out) to %2.</source>
        <translation>已将%1（输入潜变量，输出 [0, 1] 像素）导出到 %2。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="222"/>
        <source>Checked in %1 on 8 random images: largest difference %2%3.</source>
        <translation>已在 %1 中用 8 张随机图像检查：最大差异为 %2%3。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="223"/>
        <source>Checked in %1 on 8 random latents: largest difference %2%3.</source>
        <translation>已在 %1 中用 8 个随机潜变量检查：最大差异 %2%3。</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="225"/>
        <source>, and the top class differs</source>
        <translation>，且预测的最高类别不同</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="228"/>
        <source>The check could not run: %1</source>
        <translation>无法运行检查：%1</translation>
    </message>
    <message>
        <location filename="../ui/export/ExportDialog.cpp" line="235"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>nc::ui::FolderPredictView</name>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="50"/>
        <source>%v of %m images</source>
        <translation>%v / %m 张图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="52"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="55"/>
        <source>Least Confident First</source>
        <translation>置信度最低的排在前面</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="59"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="64"/>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="211"/>
        <source>Export Predictions</source>
        <translation>导出预测结果</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="65"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="76"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="76"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="76"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="76"/>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="76"/>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="119"/>
        <source>Classifying every image in %1…</source>
        <translation>正在对 %1 中的每张图像分类…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="132"/>
        <source>&lt;b&gt;The folder could not be classified:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;无法对该文件夹分类：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="145"/>
        <source>%1 images in %2 classified by %3 in %4 s</source>
        <translation>%2 中的 %1 张图像已由 %3 分类，用时 %4 秒</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="149"/>
        <source> (stopped early)</source>
        <translation>（提前停止）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="151"/>
        <source> · &lt;b&gt;accuracy %1 %&lt;/b&gt; on the labelled folders</source>
        <translation> · 在带标签的文件夹上&lt;b&gt;准确率 %1 %&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/inspect/FolderPredictView.cpp" line="153"/>
        <source> · %n could not be read</source>
        <translation>
            <numerusform> · %n 张无法读取</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/inspect/FolderPredictView.cpp" line="155"/>
        <source> · %n skipped (not images)</source>
        <translation>
            <numerusform> · 跳过 %n 个（不是图像）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="176"/>
        <source>(unreadable)</source>
        <translation>（无法读取）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="183"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="183"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../ui/inspect/FolderPredictView.cpp" line="212"/>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>nc::ui::Format</name>
    <message>
        <location filename="../ui/style/Format.cpp" line="13"/>
        <source>%1 GFLOPs</source>
        <translation>%1 GFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/style/Format.cpp" line="15"/>
        <source>%1 MFLOPs</source>
        <translation>%1 MFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/style/Format.cpp" line="17"/>
        <source>%1 kFLOPs</source>
        <translation>%1 kFLOPs</translation>
    </message>
    <message>
        <location filename="../ui/style/Format.cpp" line="18"/>
        <source>%1 FLOPs</source>
        <translation>%1 FLOPs</translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphEditor</name>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="91"/>
        <source>Insert %1</source>
        <translation>插入 %1</translation>
    </message>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="93"/>
        <source>Make room</source>
        <translation>腾出空间</translation>
    </message>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="106"/>
        <source>Delete %1</source>
        <translation>删除 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/editor/GraphEditor.cpp" line="107"/>
        <source>Delete %n item(s)</source>
        <translation>
            <numerusform>删除 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/editor/GraphEditor.cpp" line="156"/>
        <source>Auto-layout</source>
        <translation>自动布局</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/editor/GraphEditor.cpp" line="192"/>
        <source>Paste %n layer(s)</source>
        <translation>
            <numerusform>粘贴 %n 个层</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphModel</name>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="57"/>
        <source>That layer no longer exists.</source>
        <translation>该层已不存在。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="63"/>
        <source>Start a connection at an output port (the bottom of a layer).</source>
        <translation>请从输出端口（层的底部）开始连接。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="65"/>
        <source>Cannot connect an output to an output: drop on an input port at the top of a layer.</source>
        <translation>不能将输出连接到输出：请放到层顶部的输入端口上。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="67"/>
        <source>A layer cannot feed itself.</source>
        <translation>层不能连接到自身。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="70"/>
        <source>%1 takes no input.</source>
        <translation>%1 不接受输入。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="71"/>
        <source>%1 has no input port &apos;%2&apos;.</source>
        <translation>%1 没有名为“%2”的输入端口。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="75"/>
        <source>%1 already takes its input from %2; an input takes one connection, delete that one first.</source>
        <translation>%1 的输入已来自 %2；每个输入只能有一条连接，请先删除那条连接。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="78"/>
        <source>That would make a cycle: %1 already feeds %2, and a network must flow one way.</source>
        <translation>这会形成环路：%1 的输出已流向 %2，而网络中的数据必须单向流动。</translation>
    </message>
    <message>
        <location filename="../ui/model/GraphModel.cpp" line="240"/>
        <source>dataset: %1</source>
        <translation>数据集：%1</translation>
    </message>
</context>
<context>
    <name>nc::ui::GraphScene</name>
    <message>
        <location filename="../ui/editor/GraphScene.cpp" line="322"/>
        <source>Move %1</source>
        <translation>移动 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/editor/GraphScene.cpp" line="323"/>
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
    <name>nc::ui::ImportDialog</name>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="44"/>
        <source>Import images</source>
        <translation>导入图像</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="48"/>
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="61"/>
        <source>Automatic (median, at most 64×64)</source>
        <translation>自动（中位数，最大 64×64）</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="64"/>
        <source>As most images are</source>
        <translation>与多数图像相同</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="65"/>
        <source>Grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="66"/>
        <source>Colour (RGB)</source>
        <translation>彩色（RGB）</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="69"/>
        <source>Pad to keep the whole image</source>
        <translation>填充以保留整张图像</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="70"/>
        <source>Crop the centre</source>
        <translation>裁剪中心</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="71"/>
        <source>Stretch</source>
        <translation>拉伸</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="76"/>
        <source>Held out per class for the test split when the folder has no test/ folder</source>
        <translation>文件夹中没有 test/ 子文件夹时，每个类别留作测试集的比例</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="77"/>
        <source>Import Again</source>
        <translation>重新导入</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="80"/>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="81"/>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="83"/>
        <source>Other shapes</source>
        <translation>其他长宽比</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="84"/>
        <source>Test part</source>
        <translation>测试部分</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="103"/>
        <source>%v of %m images</source>
        <translation>%v / %m 张图像</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="104"/>
        <source>Stop Import</source>
        <translation>停止导入</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="135"/>
        <source>Skipped file</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="135"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="140"/>
        <source>Double-click a file to open its folder</source>
        <translation>双击文件可打开其所在文件夹</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="149"/>
        <source>Use This Dataset</source>
        <translation>使用此数据集</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="217"/>
        <source>Reading the images…</source>
        <translation>正在读取图像…</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="257"/>
        <source>Import stopped: nothing was written. Choose Import Again to start over.</source>
        <translation>导入已停止：未写入任何内容。选择“重新导入”可重新开始。</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="259"/>
        <source>&lt;b&gt;These images cannot be used:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;这些图像无法使用：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="278"/>
        <source>%1 images in %2 classes, seen as %3×%4 %5: %6 for training, %7 for testing</source>
        <translation>%2 个类别共 %1 张图像，按 %3×%4 %5 处理：%6 张用于训练，%7 张用于测试</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="283"/>
        <source>grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="283"/>
        <source>colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="287"/>
        <source>, %1 for validation</source>
        <translation>，%1 张用于验证</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="288"/>
        <source> (from the train/ and test/ folders).</source>
        <translation>（来自 train/ 和 test/ 文件夹）。</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="288"/>
        <source> (a seeded split of each class).</source>
        <translation>（按固定种子对每个类别划分）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dataset/ImportDialog.cpp" line="290"/>
        <source>%n file(s) skipped, listed below.</source>
        <translation>
            <numerusform>跳过 %n 个文件，列在下方。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="295"/>
        <source>&lt;b&gt;Few images:&lt;/b&gt; %1 (fewer than %2 each to train on).</source>
        <translation>&lt;b&gt;图像过少：&lt;/b&gt;%1（每类可用于训练的少于 %2 张）。</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="300"/>
        <source>Read from the cache: nothing changed since the last import.</source>
        <translation>已从缓存读取：自上次导入以来没有变化。</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="308"/>
        <source>Images per class</source>
        <translation>每类图像数</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="311"/>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="312"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="357"/>
        <source>%1 (as the model sees it: %2×%3)</source>
        <translation>%1（模型看到的样子：%2×%3）</translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="369"/>
        <source>%1×%2: %3</source>
        <translation>%1×%2：%3</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/dataset/ImportDialog.cpp" line="371"/>
        <source>and %n more size(s)</source>
        <translation>
            <numerusform>以及另外 %n 种尺寸</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/dataset/ImportDialog.cpp" line="372"/>
        <source>Original sizes: %1</source>
        <translation>原始尺寸：%1</translation>
    </message>
</context>
<context>
    <name>nc::ui::ImportanceView</name>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="261"/>
        <source>Not enough finished trials yet to tell which parameter matters</source>
        <translation>已完成的试验还不够多，尚无法判断哪个参数更重要</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="242"/>
        <source>Parameter importance</source>
        <translation>参数重要性</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="255"/>
        <source>parameter importance</source>
        <translation>参数重要性</translation>
    </message>
</context>
<context>
    <name>nc::ui::InspectTab</name>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="37"/>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="139"/>
        <source>Open Image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="141"/>
        <source>Choose an image file to ask the model about</source>
        <translation>选择一个图像文件交给模型识别</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="142"/>
        <source>Paste Image</source>
        <translation>粘贴图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="144"/>
        <source>Ask the model about the image on the clipboard (%1)</source>
        <translation>让模型识别剪贴板中的图像（%1）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="148"/>
        <source>pad</source>
        <translation>填充</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="149"/>
        <source>centre crop</source>
        <translation>中心裁剪</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="150"/>
        <source>stretch</source>
        <translation>拉伸</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="152"/>
        <source>How an image of another shape becomes the model&apos;s input size: keep all of it and pad the short side, crop its centre, or stretch it</source>
        <translation>形状不同的图像如何变为模型的输入尺寸：保留完整图像并填充短边、裁剪其中心区域，或将其拉伸</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="154"/>
        <source>&amp;Invert colours</source>
        <translation>反转颜色(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="156"/>
        <source>Flip light and dark before asking the model (for a dark drawing on white paper when the model learned light objects on a dark background). Remembered per model.</source>
        <translation>在交给模型之前反转明暗（适用于白纸上的深色图画，而模型学习的是深色背景上的浅色物体）。按模型记住此选择。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="162"/>
        <source>How many of the most likely classes to show</source>
        <translation>显示多少个可能性最高的类别</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="166"/>
        <source>&amp;Fit:</source>
        <translation>适配方式(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="171"/>
        <source>&amp;Top classes:</source>
        <translation>显示类别数(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="180"/>
        <source>Gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="181"/>
        <source>SmoothGrad</source>
        <translation>SmoothGrad</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="182"/>
        <source>Integrated Gradients</source>
        <translation>积分梯度</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="183"/>
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="185"/>
        <source>How the saliency map is computed: the input gradient, its average over noisy copies, gradients along a path from black, or a convolution&apos;s class activation map</source>
        <translation>显著性图的计算方式：输入梯度、多个加噪副本上的梯度平均值、沿一条从全黑图像出发的路径累积的梯度，或某个卷积层的类激活图</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="189"/>
        <source>The convolution Grad-CAM looks at</source>
        <translation>Grad-CAM 所分析的卷积层</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="193"/>
        <source>jet</source>
        <translation>jet</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="194"/>
        <source>inferno</source>
        <translation>inferno</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="195"/>
        <source>gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="202"/>
        <source>How strongly the saliency map covers the image</source>
        <translation>显著性图覆盖在图像上的强度</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="205"/>
        <source>&amp;Saliency:</source>
        <translation>显著性(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="207"/>
        <source>&amp;Layer:</source>
        <translation>层(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="211"/>
        <source>&amp;Colours:</source>
        <translation>配色(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="214"/>
        <source>O&amp;pacity:</source>
        <translation>不透明度(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="258"/>
        <source>As the model sees it</source>
        <translation>模型看到的图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="262"/>
        <source>The image as the model sees it</source>
        <translation>模型所看到的图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="263"/>
        <source>Saliency</source>
        <translation>显著性</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="267"/>
        <source>Saliency overlay</source>
        <translation>显著性叠加图</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="273"/>
        <location filename="../ui/inspect/InspectTab.cpp" line="276"/>
        <source>Most likely classes</source>
        <translation>最可能的类别</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="293"/>
        <source>Feature maps</source>
        <translation>特征图</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="341"/>
        <source>%1 is empty (0 bytes): there is no image in it.</source>
        <translation>%1 是空的（0 字节）：其中没有图像。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="352"/>
        <source>This model generates images from noise (a GAN): it has no encoder, so %1 cannot be placed in its latent space.</source>
        <translation>此模型从噪声生成图像（GAN）：它没有编码器，因此无法把 %1 放入其潜空间。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="375"/>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="376"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="396"/>
        <location filename="../ui/inspect/InspectTab.cpp" line="405"/>
        <source>pasted image</source>
        <translation>粘贴的图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="419"/>
        <source>The clipboard holds no image. Copy an image or an image file, then paste it here.</source>
        <translation>剪贴板中没有图像。请先复制一张图像或一个图像文件，再粘贴到这里。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="526"/>
        <source>last convolution</source>
        <translation>最后一个卷积层</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="543"/>
        <source>light objects on a dark background</source>
        <translation>深色背景上的浅色物体</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="544"/>
        <source>dark objects on a light background</source>
        <translation>浅色背景上的深色物体</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="545"/>
        <source>dark on light</source>
        <translation>浅底深色</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="545"/>
        <source>light on dark</source>
        <translation>深底浅色</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="547"/>
        <source>Inverted: this image is %1, the opposite of the training images (%2), so it is flipped before the model sees it.</source>
        <translation>已反转：此图像为%1，与训练图像（%2）相反，因此在模型看到之前先进行了反转。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="550"/>
        <source>This image looks like the opposite of the training images: it is %1, the model learned %2. Tick “Invert colours” to flip it.</source>
        <translation>此图像看起来与训练图像相反：它是%1，而模型学习的是%2。勾选“反转颜色”即可反转。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="560"/>
        <source>%1×%2 from %3×%4 (%5)</source>
        <translation>%1×%2（原图 %3×%4，%5）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="566"/>
        <source>%1×%2</source>
        <translation>%1×%2</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="574"/>
        <source>%1 for %2</source>
        <translation>针对 %2 的 %1</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="575"/>
        <source>Grad-CAM on %1 for %2</source>
        <translation>针对 %2 的 Grad-CAM（基于 %1）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="577"/>
        <source>Attributions sum to %1; the score rose by %2 from the black baseline</source>
        <translation>归因总和为 %1；得分相对全黑基线提高了 %2</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="582"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="586"/>
        <source>No saliency map: %1</source>
        <translation>无显著性图：%1</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="598"/>
        <source>%1 — %2 — %3 ms</source>
        <translation>%1 — %2 — %3 ms</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="600"/>
        <source>%1 (refreshed every %2 s while it trains)</source>
        <translation>%1（训练期间每 %2 s 刷新一次）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="617"/>
        <source>Select a layer on the Design canvas to see its feature maps.</source>
        <translation>在“设计”画布上选中一个层，即可查看其特征图。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="620"/>
        <source>Feature maps of %1</source>
        <translation>%1 的特征图</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="633"/>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="641"/>
        <source>Feature maps of %1 — output %2</source>
        <translation>%1 的特征图 — 输出 %2</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="643"/>
        <source>The first %1 of %2 channels, each scaled to its own range (black: lowest, white: highest).</source>
        <translation>%2 个通道中的前 %1 个，每个通道按各自的取值范围缩放（黑：最低，白：最高）。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="647"/>
        <source>Channels: %1, each scaled to its own range (black: lowest, white: highest).</source>
        <translation>通道数：%1，每个通道按各自的取值范围缩放（黑：最低，白：最高）。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="651"/>
        <source>Output of %1 — %2</source>
        <translation>%1 的输出 — %2</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="652"/>
        <source>Values: %1, as bars from the zero line.</source>
        <translation>数值个数：%1，以从零线出发的条形显示。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="685"/>
        <source>&lt;p&gt;Asking the model about %1…&lt;/p&gt;</source>
        <translation>&lt;p&gt;正在让模型识别 %1…&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="687"/>
        <source>&lt;h3&gt;Drop an image anywhere on the window, paste one or open one&lt;/h3&gt;&lt;p&gt;or click a test image in the Evaluate tab&apos;s gallery.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;将图像拖放到窗口中的任意位置，或粘贴、打开一张图像&lt;/h3&gt;&lt;p&gt;也可以点击“评估”页图库中的测试图像。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/inspect/InspectTab.cpp" line="690"/>
        <source>&lt;p&gt;A model is needed to answer: train the network in the Train tab (its live weights are used while it trains), or select a run there and choose “Evaluate and Inspect Best Model”.&lt;/p&gt;</source>
        <translation>&lt;p&gt;需要一个模型才能给出结果：请在“训练”页中训练网络（训练期间会使用其实时权重），或在该页选择一次运行并选择“评估并检视最佳模型”。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>nc::ui::LatentScatterView</name>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="60"/>
        <source>Latent means of test images, coloured by class</source>
        <translation>测试图像的潜变量均值，按类别着色</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="87"/>
        <source>No latent map yet</source>
        <translation>尚无潜空间图</translation>
    </message>
</context>
<context>
    <name>nc::ui::LatentView</name>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="171"/>
        <source>Image &amp;A…</source>
        <translation>图像 &amp;A…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="173"/>
        <source>Choose the image the walk starts from</source>
        <translation>选择路径起点的图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="174"/>
        <source>Image &amp;B…</source>
        <translation>图像 &amp;B…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="176"/>
        <source>Choose the image the walk ends at</source>
        <translation>选择路径终点的图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="177"/>
        <source>S&amp;wap</source>
        <translation>交换(&amp;W)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="179"/>
        <source>&amp;New Pair</source>
        <translation>换一对(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="181"/>
        <source>Walk between two other random points of the latent space</source>
        <translation>在潜空间中另外两个随机点之间行走</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="186"/>
        <source>Images decoded along the straight line between the two latents, both ends included</source>
        <translation>沿两个潜变量之间的直线解码的图像，包括两端</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="187"/>
        <source>S&amp;teps:</source>
        <translation>步数(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="199"/>
        <location filename="../ui/inspect/LatentView.cpp" line="429"/>
        <source>Interpolation</source>
        <translation>插值</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="203"/>
        <source>Images decoded along the path between A and B</source>
        <translation>沿 A 与 B 之间路径解码的图像</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="219"/>
        <source>Samples of z ~ N(0, I)</source>
        <translation>z ~ N(0, I) 的样本</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="224"/>
        <source>&amp;Other Samples</source>
        <translation>其他样本(&amp;O)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="226"/>
        <source>Save &amp;PNG…</source>
        <translation>保存 &amp;PNG…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="237"/>
        <source>&amp;Judge with Classifier…</source>
        <translation>用分类器评判(&amp;J)…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="239"/>
        <source>Choose a classifier trained in the app (.ncmodel): it judges samples of this model — which classes it sees, how sure it is, how far they are from real images</source>
        <translation>选择在应用中训练的分类器（.ncmodel）：它评判此模型的样本——看到哪些类别、有多确定、与真实图像相距多远</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="246"/>
        <source> samples</source>
        <translation> 个样本</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="292"/>
        <source>&lt;b&gt;This model generates images from noise&lt;/b&gt; (a GAN). Below: what its generator makes along a straight line between two random points of its %1-wide latent space, and samples of it.</source>
        <translation>&lt;b&gt;此模型从噪声生成图像&lt;/b&gt;（GAN）。下方：其生成器沿 %1 维潜空间中两个随机点之间的直线生成的图像，以及它的样本。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="297"/>
        <source>&lt;b&gt;This model is generative&lt;/b&gt; (a VAE with a %1-wide latent space). Drop two images on the window (or choose them): each is encoded to its latent mean, and the images the decoder makes along the straight line between the two are shown. Below: where test images lie in the latent space, coloured by class, and samples.</source>
        <translation>&lt;b&gt;此模型是生成模型&lt;/b&gt;（潜空间为 %1 维的 VAE）。把两张图像拖到窗口上（或选择它们）：每张都被编码为其潜变量均值，并显示解码器沿两者之间直线生成的图像。下方：测试图像在潜空间中的位置（按类别着色）以及样本。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="304"/>
        <source>A GAN has no encoder: there is no map of where images lie in its latent space.</source>
        <translation>GAN 没有编码器：没有图像在其潜空间中位置的地图。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="364"/>
        <source>Judging %1 samples with %2…</source>
        <translation>正在评判 %1 个样本，使用 %2…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="367"/>
        <source>Mapping %1 test images into the latent space…</source>
        <translation>正在把 %1 张测试图像映射到潜空间…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="367"/>
        <source>Decoding…</source>
        <translation>正在解码…</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="384"/>
        <source>first two principal components, %1 % of the variance</source>
        <translation>前两个主成分，占方差的 %1 %</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="386"/>
        <source>the latent&apos;s own axes</source>
        <translation>潜变量自身的坐标轴</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="387"/>
        <source>Latent means of %1 test images of %2 (%3)</source>
        <translation>%2 的 %1 张测试图像的潜变量均值（%3）</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="426"/>
        <source>Interpolation: %1 steps from %2 to %3</source>
        <translation>插值：从 %2 到 %3 共 %1 步</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="427"/>
        <source>Interpolation: %1, %2 decoded steps, %3</source>
        <translation>插值：%1，%2 个解码步骤，%3</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="436"/>
        <source>&lt;b&gt;%1 on %2 samples:&lt;/b&gt; %3 of %4 classes at ≥ 5 % (KL from uniform %5), mean confidence %6.</source>
        <translation>&lt;b&gt;%1 评判 %2 个样本：&lt;/b&gt;%4 个类别中有 %3 个占 ≥ 5 %（与均匀分布的 KL 为 %5），平均置信度 %6。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="444"/>
        <source> FD-FMNIST %1 (real training images against the test images: %2); nearest training image %3 away on average (a real test image&apos;s: %4).</source>
        <translation> FD-FMNIST %1（真实训练图像对测试图像：%2）；最近的训练图像平均相距 %3（真实测试图像为 %4）。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="459"/>
        <source>%1 images decoded; answered in %2 ms</source>
        <translation>已解码 %1 张图像；用时 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="461"/>
        <source>Drop an image on the window, or choose Image A…, to start the walk there.</source>
        <translation>把一张图像拖到窗口上，或选择“图像 A…”，从那里开始行走。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="463"/>
        <source>Now drop a second image (or choose Image %1…): the walk goes from A to B.</source>
        <translation>现在拖入第二张图像（或选择“图像 %1…”）：路径从 A 走到 B。</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="464"/>
        <source> · %1</source>
        <translation> · %1</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="464"/>
        <source>live weights of the run in progress</source>
        <translation>正在进行的训练的实时权重</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="487"/>
        <source>Judging</source>
        <translation>正在评判</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="499"/>
        <source>Image A</source>
        <translation>图像 A</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="499"/>
        <source>Image B</source>
        <translation>图像 B</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="500"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pnm);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="521"/>
        <source>Classifier to Judge the Samples</source>
        <translation>用于评判样本的分类器</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="522"/>
        <source>NeuralCanvas models (*.ncmodel)</source>
        <translation>NeuralCanvas 模型 (*.ncmodel)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="530"/>
        <source>Save Samples</source>
        <translation>保存样本</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="531"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/inspect/LatentView.cpp" line="533"/>
        <source>%1 could not be written.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>nc::ui::MainWindow</name>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="57"/>
        <source>Export &amp;Training Job…</source>
        <translation>导出训练作业(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="59"/>
        <source>&amp;Import Run…</source>
        <translation>导入运行(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="42"/>
        <source>Training job written to %1 (%2 training images): run its run-standalone.sh, then File › Import Run… its run folder</source>
        <translation>训练作业已写入 %1（%2 张训练图像）：运行其中的 run-standalone.sh，然后用“文件 › 导入运行…”导入其运行文件夹</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="50"/>
        <source>The training job was not exported: %1</source>
        <translation>训练作业未导出：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="61"/>
        <source>The run was not imported: %1</source>
        <translation>运行未导入：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="65"/>
        <source>Imported the run in %1</source>
        <translation>已导入 %1 中的运行</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="70"/>
        <source>Export Training Job to Folder</source>
        <translation>将训练作业导出到文件夹</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="76"/>
        <source>Import Run Folder</source>
        <translation>导入运行文件夹</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowJobs.cpp" line="79"/>
        <source>Import Run</source>
        <translation>导入运行</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="81"/>
        <source>Sweep</source>
        <translation>超参数搜索</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="67"/>
        <source>Modes</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="69"/>
        <source>Design</source>
        <translation>设计</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="71"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="73"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="75"/>
        <source>Inspect</source>
        <translation>检视</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="77"/>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="79"/>
        <source>Compress</source>
        <translation>压缩</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="144"/>
        <source>Not connected: %1</source>
        <translation>未连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="155"/>
        <location filename="../ui/app/MainWindow.cpp" line="241"/>
        <source>Zoom %1%</source>
        <translation>缩放 %1%</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="208"/>
        <source>Layers</source>
        <translation>网络层</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="210"/>
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="213"/>
        <source>Undo history</source>
        <translation>撤销历史</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="214"/>
        <source>&lt;opened&gt;</source>
        <translation>&lt;已打开&gt;</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="215"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="219"/>
        <location filename="../ui/app/MainWindow.cpp" line="221"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="221"/>
        <source>Problems (%1)</source>
        <translation>问题 (%1)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="247"/>
        <source>Dataset: %1</source>
        <translation>数据集：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="250"/>
        <source>Input %1×%2×%3 · %4 classes</source>
        <translation>输入 %1×%2×%3 · %4 个类别</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="251"/>
        <source>Input unknown</source>
        <translation>输入未知</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="252"/>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="253"/>
        <source>%1 per image</source>
        <translation>每张图像 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="255"/>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/app/MainWindow.cpp" line="257"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="267"/>
        <source>%1[*] — NeuralCanvas</source>
        <translation>%1[*] — NeuralCanvas</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="305"/>
        <source>Could not open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="306"/>
        <source>%1 could not be opened.</source>
        <translation>无法打开 %1。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="322"/>
        <source>Could not save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="326"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="375"/>
        <source>Restored %1 (not saved yet)</source>
        <translation>已恢复 %1（尚未保存）</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="385"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="385"/>
        <source>NeuralCanvas projects (*.ncproj)</source>
        <translation>NeuralCanvas 项目 (*.ncproj)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="396"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="397"/>
        <source>NeuralCanvas projects (*.ncproj);;All files (*)</source>
        <translation>NeuralCanvas 项目 (*.ncproj);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="413"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="414"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation>%1 有尚未保存的更改。要保存吗？</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="457"/>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="478"/>
        <source>The clipboard holds no layers.</source>
        <translation>剪贴板中没有层。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="508"/>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindow.cpp" line="521"/>
        <source>dropped image</source>
        <translation>拖入的图像</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="47"/>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="49"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="51"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="53"/>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="55"/>
        <source>&amp;Export Model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="61"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="64"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="69"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="75"/>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="79"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="82"/>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="88"/>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="90"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="93"/>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="99"/>
        <source>&amp;Quick Add Layer…</source>
        <translation>快速添加层(&amp;Q)…</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="101"/>
        <source>&amp;Find Layer in Palette</source>
        <translation>在面板中查找层(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="103"/>
        <source>Auto-&amp;Layout</source>
        <translation>自动布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="109"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="111"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="113"/>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="115"/>
        <source>&amp;Fit to Window</source>
        <translation>适合窗口(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="117"/>
        <source>&amp;Snap to Grid</source>
        <translation>对齐网格(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="127"/>
        <source>Follow &amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="128"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="129"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="146"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="149"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="161"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="170"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="177"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="180"/>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="183"/>
        <source>&amp;Mode</source>
        <translation>模式(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="187"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="188"/>
        <source>&amp;Keyboard and Mouse</source>
        <translation>键盘和鼠标(&amp;K)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="190"/>
        <source>Keyboard and mouse</source>
        <translation>键盘和鼠标操作</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="191"/>
        <source>&lt;b&gt;Add&lt;/b&gt;: drag a layer from the palette, double-click the canvas, or Ctrl+K.&lt;br&gt;&lt;b&gt;Insert&lt;/b&gt;: drop a layer onto a connection.&lt;br&gt;&lt;b&gt;Connect&lt;/b&gt;: drag from an output port (bottom) to an input port (top).&lt;br&gt;&lt;b&gt;Select&lt;/b&gt;: click, Ctrl+click, or drag a rubber band on empty canvas.&lt;br&gt;&lt;b&gt;Move&lt;/b&gt;: drag, or arrow keys. &lt;b&gt;Pan&lt;/b&gt;: middle button, or Space + drag.&lt;br&gt;&lt;b&gt;Zoom&lt;/b&gt;: wheel, Ctrl + / Ctrl −, Ctrl+0 actual size, Ctrl+9 fit.</source>
        <translation>&lt;b&gt;添加&lt;/b&gt;：从面板中拖出一个层、双击画布，或按 Ctrl+K。&lt;br&gt;&lt;b&gt;插入&lt;/b&gt;：将层拖放到一条连接上。&lt;br&gt;&lt;b&gt;连接&lt;/b&gt;：从输出端口（底部）拖到输入端口（顶部）。&lt;br&gt;&lt;b&gt;选择&lt;/b&gt;：单击、Ctrl+单击，或在画布空白处拖出选框。&lt;br&gt;&lt;b&gt;移动&lt;/b&gt;：拖动，或使用方向键。&lt;b&gt;平移&lt;/b&gt;：鼠标中键，或按住空格键拖动。&lt;br&gt;&lt;b&gt;缩放&lt;/b&gt;：滚轮、Ctrl + / Ctrl −，Ctrl+0 实际大小，Ctrl+9 适合窗口。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="198"/>
        <source>&amp;About NeuralCanvas</source>
        <translation>关于 NeuralCanvas(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="199"/>
        <source>About NeuralCanvas</source>
        <translation>关于 NeuralCanvas</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="200"/>
        <source>&lt;b&gt;NeuralCanvas %1&lt;/b&gt;&lt;br&gt;Design, train and understand convolutional networks.</source>
        <translation>&lt;b&gt;NeuralCanvas %1&lt;/b&gt;&lt;br&gt;设计、训练并理解卷积神经网络。</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="204"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowActions.cpp" line="206"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../ui/app/MainWindowData.cpp" line="39"/>
        <source>Use dataset %1</source>
        <translation>使用数据集 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/app/MainWindowData.cpp" line="52"/>
        <source>The project now trains on %1 (%n classes).</source>
        <translation>
            <numerusform>项目现在使用 %1 训练（%n 个类别）。</numerusform>
        </translation>
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
        <location filename="../ui/panels/PalettePanel.cpp" line="48"/>
        <source>Recurrent</source>
        <translation>循环</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="49"/>
        <source>Generative</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="50"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="65"/>
        <source>Search layers…</source>
        <translation>搜索网络层…</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="67"/>
        <source>Search layers</source>
        <translation>搜索网络层</translation>
    </message>
    <message>
        <location filename="../ui/panels/PalettePanel.cpp" line="72"/>
        <source>Layer palette</source>
        <translation>网络层面板</translation>
    </message>
</context>
<context>
    <name>nc::ui::ParallelCoordinatesView</name>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="39"/>
        <source>Parallel coordinates</source>
        <translation>平行坐标图</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="75"/>
        <source>Add parameters to the space to see trials here</source>
        <translation>向搜索空间添加参数后，试验将显示在这里</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="143"/>
        <source>val accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="148"/>
        <source> (log)</source>
        <translation>（对数）</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepCharts.cpp" line="177"/>
        <source>%1 of %2 trials shown (dashed: stopped early)</source>
        <translation>显示 %2 次试验中的 %1 次（虚线：提前停止）</translation>
    </message>
</context>
<context>
    <name>nc::ui::PrecisionLabel</name>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="14"/>
        <source>bfloat16 (mixed; loss, softmax and optimizer state in 32-bit)</source>
        <translation>bfloat16（混合精度；损失、softmax 和优化器状态为 32 位）</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="14"/>
        <source>32-bit float</source>
        <translation>32 位浮点</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="18"/>
        <source>automatic: bfloat16 autocast runs on the CPU only</source>
        <translation>自动：bfloat16 自动混合精度只在 CPU 上运行</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="20"/>
        <source>automatic: this CPU runs bfloat16 natively (%1)</source>
        <translation>自动：此 CPU 原生支持 bfloat16（%1）</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="22"/>
        <source>automatic: this CPU has no native bfloat16 (avx512_bf16 or AMX), where it would be slower</source>
        <translation>自动：此 CPU 不原生支持 bfloat16（无 avx512_bf16 或 AMX），用它会更慢</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="24"/>
        <source>as set</source>
        <translation>按设置</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="26"/>
        <source>as set; this CPU has no native bfloat16, so expect it to be slower than 32-bit float</source>
        <translation>按设置；此 CPU 不原生支持 bfloat16，预计会比 32 位浮点更慢</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="28"/>
        <source>Precision: %1 — %2</source>
        <translation>精度：%1 — %2</translation>
    </message>
    <message>
        <location filename="../ui/train/PrecisionLabel.cpp" line="41"/>
        <source>Precision: 32-bit float — the bfloat16 loss went non-finite, so the run went back to its last checkpoint and goes on in 32-bit float</source>
        <translation>精度：32 位浮点 — bfloat16 的损失变为非有限值，因此训练回到上一个检查点，并以 32 位浮点继续</translation>
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
        <location filename="../ui/panels/PropertiesPanel.cpp" line="98"/>
        <source>%n layer(s) selected</source>
        <translation>
            <numerusform>已选中 %n 个层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="189"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="207"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="214"/>
        <source>fashion-mnist, shapes[:N], folder:DIR (a sub-folder of images per class), csv:FILE (image paths and labels), idx:DIR (MNIST-style files) or cifar10:DIR</source>
        <translation>fashion-mnist、shapes[:N]、folder:DIR（每个类别一个图像子文件夹）、csv:FILE（图像路径和标签）、idx:DIR（MNIST 格式文件）或 cifar10:DIR</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="226"/>
        <source>Dataset folder (one sub-folder of images per class, IDX or CIFAR-10 files)</source>
        <translation>数据集文件夹（每个类别一个图像子文件夹，或 IDX、CIFAR-10 文件）</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="237"/>
        <source>Choose CSV…</source>
        <translation>选择 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="238"/>
        <source>Choose a CSV of image paths and labels</source>
        <translation>选择包含图像路径和标签的 CSV</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="240"/>
        <source>CSV of image paths and labels</source>
        <translation>包含图像路径和标签的 CSV</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="241"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="194"/>
        <source>(untitled)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="193"/>
        <source>Project name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="210"/>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="221"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="222"/>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="223"/>
        <source>Choose dataset folder</source>
        <translation>选择数据集文件夹</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/panels/PropertiesPanel.cpp" line="300"/>
        <source>Input %1×%2×%3, %n class(es): %4</source>
        <translation>
            <numerusform>输入 %1×%2×%3，%n 个类别：%4</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="315"/>
        <source>No shape yet.</source>
        <translation>尚无形状。</translation>
    </message>
    <message>
        <location filename="../ui/panels/PropertiesPanel.cpp" line="318"/>
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
    <name>nc::ui::RecoveryDialog</name>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="26"/>
        <source>Autosaved today at %1</source>
        <translation>自动保存于今天 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="28"/>
        <source>Autosaved yesterday at %1</source>
        <translation>自动保存于昨天 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="29"/>
        <source>Autosaved %1</source>
        <translation>自动保存于 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="36"/>
        <source>Recover Unsaved Work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="42"/>
        <source>&lt;b&gt;NeuralCanvas did not close properly last time.&lt;/b&gt;&lt;br&gt;It kept the changes that were not saved. Restore them to continue where you left off, or discard them.</source>
        <translation>&lt;b&gt;NeuralCanvas 上次未正常关闭。&lt;/b&gt;&lt;br&gt;未保存的更改已被保留。恢复这些更改即可从上次中断的地方继续，也可以将其丢弃。</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="74"/>
        <source>&amp;Restore All</source>
        <translation>全部恢复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="76"/>
        <source>&amp;Discard All</source>
        <translation>全部丢弃(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="78"/>
        <source>Decide &amp;Later</source>
        <translation>稍后决定(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="80"/>
        <source>Keep the unsaved changes and ask again at the next start</source>
        <translation>保留未保存的更改，下次启动时再询问</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="107"/>
        <source>Never saved to a file</source>
        <translation>从未保存到文件</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="119"/>
        <source>The autosave cannot be read: %1</source>
        <translation>无法读取自动保存的内容：%1</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="136"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="139"/>
        <source>Open it as an unsaved project</source>
        <translation>将其作为未保存的项目打开</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="139"/>
        <source>It cannot be read</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="140"/>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="142"/>
        <source>Delete these unsaved changes</source>
        <translation>删除这些未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="201"/>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../ui/app/RecoveryDialog.cpp" line="212"/>
        <source>Discarded</source>
        <translation>已丢弃</translation>
    </message>
</context>
<context>
    <name>nc::ui::RunHistoryPanel</name>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="117"/>
        <source>training elsewhere</source>
        <translation>在其他机器上训练中</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="38"/>
        <source>&lt;b&gt;Runs&lt;/b&gt; — select two or more to compare their curves</source>
        <translation>&lt;b&gt;运行记录&lt;/b&gt; — 选择两条或更多以对比曲线</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="43"/>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="47"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="47"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="47"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="47"/>
        <source>Best val. accuracy</source>
        <translation>最佳验证准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="47"/>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="47"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="50"/>
        <source>Resume Selected Run</source>
        <translation>继续所选运行</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="53"/>
        <source>Continue the selected run from its last checkpoint, up to the number of epochs set above</source>
        <translation>从最后一个检查点继续所选运行，直到上方设置的轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="55"/>
        <source>Evaluate and Inspect Best Model</source>
        <translation>评估并检视最佳模型</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="57"/>
        <source>Use the selected run&apos;s best model (best.ncmodel) in the Evaluate and Inspect tabs</source>
        <translation>在“评估”和“检视”页中使用所选运行的最佳模型（best.ncmodel）</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="99"/>
        <source>weights of run %1 when it stopped</source>
        <translation>运行 %1 停止时的权重</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="100"/>
        <source>best model of run %1</source>
        <translation>运行 %1 的最佳模型</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="114"/>
        <source>training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="117"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="120"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="122"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="124"/>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="126"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="158"/>
        <source>Stopped in epoch %1 after batch %2 of %3; Resume continues from there</source>
        <translation>在第 %1 轮的第 %2/%3 批后停止；“继续”将从那里接着训练</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="172"/>
        <source>%1% (at stop)</source>
        <translation>%1%（停止时）</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="173"/>
        <source>Validation accuracy of the weights when the run stopped (last.ncmodel); no epoch had ended yet</source>
        <translation>运行停止时权重（last.ncmodel）的验证准确率；当时还没有完成任何一轮</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="167"/>
        <source>%1 nats</source>
        <translation>%1 奈特</translation>
    </message>
    <message>
        <location filename="../ui/train/RunHistoryPanel.cpp" line="168"/>
        <source>Validation loss (the sum of the network&apos;s loss nodes) per image</source>
        <translation>每张图像的验证损失（网络各损失节点之和）</translation>
    </message>
</context>
<context>
    <name>nc::ui::RunImporter</name>
    <message>
        <location filename="../ui/train/RunImport.cpp" line="63"/>
        <source>%1 is not a folder.</source>
        <translation>%1 不是文件夹。</translation>
    </message>
    <message>
        <location filename="../ui/train/RunImport.cpp" line="67"/>
        <source>%1 holds neither metrics.jsonl nor best.ncmodel; choose the run folder a training job writes (train.py&apos;s --out).</source>
        <translation>%1 中既没有 metrics.jsonl 也没有 best.ncmodel；请选择训练作业写入的运行文件夹（train.py 的 --out）。</translation>
    </message>
    <message>
        <location filename="../ui/train/RunImport.cpp" line="84"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../ui/train/RunImport.cpp" line="111"/>
        <source>%1 is already in the run history.</source>
        <translation>%1 已在运行历史中。</translation>
    </message>
</context>
<context>
    <name>nc::ui::SweepTab</name>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>Step</source>
        <translation>步长</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="374"/>
        <source>A training run is using the engine; stop it before starting a sweep.</source>
        <translation>引擎正在进行训练；请先停止训练，再开始搜索。</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="233"/>
        <source>Add parameter…</source>
        <translation>添加参数…</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="522"/>
        <source>Applied trial %1&apos;s values to the project (Undo takes them back).</source>
        <translation>已将试验 %1 的取值应用到项目（撤销可还原）。</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="155"/>
        <source>Apply Best to Project</source>
        <translation>将最佳结果应用到项目</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="511"/>
        <source>Apply best sweep values (trial %1)</source>
        <translation>应用最佳搜索取值（试验 %1）</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="513"/>
        <source>Apply sweep training settings</source>
        <translation>应用搜索得到的训练设置</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="401"/>
        <source>Best val.
accuracy</source>
        <translation>最佳验证
准确率</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="131"/>
        <source>Choose what to search, then Start Sweep.</source>
        <translation>选择要搜索的参数，然后点击“开始搜索”。</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="115"/>
        <source>Epochs per trial</source>
        <translation>每次试验的轮数</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="401"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="96"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>High</source>
        <translation>上限</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="406"/>
        <source>Loading the dataset…</source>
        <translation>正在加载数据集…</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>Log</source>
        <translation>对数</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>Low</source>
        <translation>下限</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="117"/>
        <source>Minimum epochs before stopping</source>
        <translation>提前停止前的最少轮数</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="123"/>
        <location filename="../ui/sweep/SweepTab.cpp" line="415"/>
        <location filename="../ui/sweep/SweepTab.cpp" line="434"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="95"/>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="85"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="418"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="72"/>
        <source>Search space</source>
        <translation>搜索空间</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="118"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="146"/>
        <source>Show the top</source>
        <translation>显示前</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="121"/>
        <source>Start Sweep</source>
        <translation>开始搜索</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="393"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="104"/>
        <source>Stop hopeless trials early (ASHA)</source>
        <translation>提前停止无望的试验（ASHA）</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="125"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="425"/>
        <source>Stopping after the current batch…</source>
        <translation>将在当前批次结束后停止…</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="113"/>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="197"/>
        <source>Sweep %1 running…</source>
        <translation>超参数搜索 %1 正在运行…</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="212"/>
        <source>Sweep done (%1 trials, %2 epochs): best is trial %3 with validation accuracy %4.</source>
        <translation>搜索完成（%1 次试验，%2 轮）：最佳为试验 %3，验证准确率 %4。</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="218"/>
        <source>Sweep ended without a finished trial.</source>
        <translation>搜索结束，没有完成的试验。</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="94"/>
        <source>TPE (model-based)</source>
        <translation>TPE（基于模型）</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="506"/>
        <source>The best values no longer fit the project: %1</source>
        <translation>最佳取值已不适用于当前项目：%1</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="381"/>
        <source>The search space has a problem: %1</source>
        <translation>搜索空间有问题：%1</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="223"/>
        <source>The sweep could not start: %1</source>
        <translation>搜索无法开始：%1</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="401"/>
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="393"/>
        <source>Trial</source>
        <translation>试验</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="114"/>
        <source>Trials</source>
        <translation>试验次数</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="77"/>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="59"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="61"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="153"/>
        <source>of trials</source>
        <translation>的试验</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="58"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="60"/>
        <source>stopped early</source>
        <translation>已提前停止</translation>
    </message>
    <message>
        <location filename="../ui/sweep/SweepTab.cpp" line="62"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>nc::ui::TemplateGallery</name>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="45"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="48"/>
        <source>Start from an empty canvas or a proven architecture:</source>
        <translation>从空白画布或经过验证的架构开始：</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="50"/>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="62"/>
        <source>Empty</source>
        <translation>空白</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="62"/>
        <source>A blank canvas: add Input, your layers and Output from the palette.</source>
        <translation>空白画布：从面板中添加 Input、你的网络层和 Output。</translation>
    </message>
    <message>
        <location filename="../ui/app/TemplateGallery.cpp" line="67"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainSettingsForm</name>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="66"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="73"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="68"/>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="69"/>
        <source>SGD with Nesterov momentum</source>
        <translation>带 Nesterov 动量的 SGD</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="70"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="71"/>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="72"/>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="79"/>
        <source>Step size of the optimizer, e.g. 0.001 or 1e-3</source>
        <translation>优化器的步长，例如 0.001 或 1e-3</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="80"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="82"/>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="84"/>
        <source>Beta 1</source>
        <translation>Beta 1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="86"/>
        <source>Beta 2</source>
        <translation>Beta 2</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="88"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="90"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="121"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="135"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="143"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="91"/>
        <source>Gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="92"/>
        <source>Gradient clipping (max norm)</source>
        <translation>梯度裁剪（最大范数）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="94"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="100"/>
        <source>Learning-rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="96"/>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="97"/>
        <source>Step decay</source>
        <translation>阶梯衰减</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="98"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="99"/>
        <source>One-cycle</source>
        <translation>单周期</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="100"/>
        <source>Schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="102"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="122"/>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="103"/>
        <source>Decay every</source>
        <translation>衰减间隔</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="105"/>
        <source>Decay factor</source>
        <translation>衰减系数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="107"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="109"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="111"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="113"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="114"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="115"/>
        <source>Validation fraction</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="128"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="129"/>
        <source>Random horizontal flip</source>
        <translation>随机水平翻转</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="127"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="136"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="137"/>
        <source>Pad each image by this many pixels and crop it back at a random position</source>
        <translation>将每张图像四周填充这么多像素，再在随机位置裁剪回原尺寸</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="138"/>
        <source>Random crop</source>
        <translation>随机裁剪</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="138"/>
        <source>Random crop padding</source>
        <translation>随机裁剪填充</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="117"/>
        <source>From Output layer</source>
        <translation>沿用输出层设置</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="118"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="119"/>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="123"/>
        <source>Stop when validation accuracy has not improved for this many epochs</source>
        <translation>验证准确率连续这么多轮没有提升时停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="124"/>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="124"/>
        <source>Early stopping patience</source>
        <translation>提前停止耐心轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="174"/>
        <source>Distillation</source>
        <translation>知识蒸馏</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="179"/>
        <source>None: learn from the labels only</source>
        <translation>无：只从标签学习</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="180"/>
        <source>A trained model with the same input and classes; the network learns its softened outputs</source>
        <translation>一个输入和类别相同的已训练模型；网络学习它软化后的输出</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="181"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="296"/>
        <source>Teacher model</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="182"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="183"/>
        <source>Choose the teacher model</source>
        <translation>选择教师模型</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="184"/>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="186"/>
        <source>Softens the teacher&apos;s and the network&apos;s outputs before they are compared</source>
        <translation>比较之前软化教师和网络的输出</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="187"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="187"/>
        <source>Distillation temperature</source>
        <translation>蒸馏温度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="157"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="159"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="161"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="189"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="190"/>
        <source>The teacher&apos;s share of the loss; the rest comes from the labels</source>
        <translation>教师在损失中所占的比例；其余来自标签</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="191"/>
        <source>Teacher&apos;s share</source>
        <translation>教师占比</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="191"/>
        <source>Teacher&apos;s share of the loss</source>
        <translation>教师在损失中的占比</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="293"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="301"/>
        <source>teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="297"/>
        <source>NeuralCanvas models (*.ncmodel)</source>
        <translation>NeuralCanvas 模型 (*.ncmodel)</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="303"/>
        <source>distillation temperature</source>
        <translation>蒸馏温度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="305"/>
        <source>teacher&apos;s share</source>
        <translation>教师占比</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="130"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="133"/>
        <source>Random vertical flip</source>
        <translation>随机垂直翻转</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="132"/>
        <source>Upside down half of the time: only for images without an up (e.g. from above)</source>
        <translation>一半概率上下颠倒：仅适用于没有上下之分的图像（例如俯拍）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="151"/>
        <source>Rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="152"/>
        <source>Rotate each image by a random angle up to this many degrees either way</source>
        <translation>将每张图像随机旋转，角度在正负此度数之内</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="153"/>
        <source> % of width</source>
        <translation> % 宽度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="153"/>
        <source>Horizontal shift</source>
        <translation>水平平移</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="154"/>
        <source>Move each image left or right by up to this share of its width</source>
        <translation>将每张图像左右平移，最多为其宽度的此比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="155"/>
        <source> % of height</source>
        <translation> % 高度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="155"/>
        <source>Vertical shift</source>
        <translation>垂直平移</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="156"/>
        <source>Move each image up or down by up to this share of its height</source>
        <translation>将每张图像上下平移，最多为其高度的此比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="157"/>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="158"/>
        <source>Enlarge or shrink each image about its centre by up to this much</source>
        <translation>以中心为基准将每张图像放大或缩小，最多为此幅度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="159"/>
        <source>Brightness</source>
        <translation>亮度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="160"/>
        <source>Lighten or darken each image by up to this share of full white</source>
        <translation>将每张图像调亮或调暗，最多为纯白的此比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="161"/>
        <source>Contrast</source>
        <translation>对比度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="162"/>
        <source>Strengthen or weaken each image&apos;s contrast (around its mean) by up to this much</source>
        <translation>以均值为中心增强或减弱每张图像的对比度，最多为此幅度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="164"/>
        <source> % of images</source>
        <translation> % 的图像</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="164"/>
        <source>Random erasing</source>
        <translation>随机擦除</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="171"/>
        <source>Train the last epochs on the images as they are, without augmentation, so the network refits undistorted images</source>
        <translation>最后几轮用原始图像训练、不做增强，让网络重新适应未变形的图像</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="172"/>
        <source>Clean epochs at the end</source>
        <translation>末尾的无增强轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="280"/>
        <source>clean epochs</source>
        <translation>无增强轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="165"/>
        <source>Fill a random rectangle (2–25 % of the image) with noise in this share of the images</source>
        <translation>在此比例的图像中，用噪声填充一个随机矩形（占图像的 2–25 %）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="168"/>
        <source>Shuffle</source>
        <translation>换一组</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="169"/>
        <source>Show other random draws of the same settings</source>
        <translation>以相同设置显示另一组随机结果</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="170"/>
        <source>Shuffle the preview</source>
        <translation>重新随机预览</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="193"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="195"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="197"/>
        <source>GPU %1 (CUDA)</source>
        <translation>GPU %1（CUDA）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="198"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="201"/>
        <source>32-bit float</source>
        <translation>32 位浮点</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="202"/>
        <source>bfloat16 (mixed)</source>
        <translation>bfloat16（混合精度）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="200"/>
        <source>Automatic (bfloat16 where the CPU runs it natively)</source>
        <translation>自动（CPU 原生支持时使用 bfloat16）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="203"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="205"/>
        <source>All cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="206"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="245"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="208"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="214"/>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="220"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="234"/>
        <source>momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="235"/>
        <source>beta 1</source>
        <translation>beta 1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="236"/>
        <source>beta 2</source>
        <translation>beta 2</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="237"/>
        <source>weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="238"/>
        <source>gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="239"/>
        <source>decay factor</source>
        <translation>衰减系数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="240"/>
        <source>validation fraction</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="241"/>
        <source>decay interval</source>
        <translation>衰减间隔</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="242"/>
        <source>epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="243"/>
        <source>batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="244"/>
        <source>early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="248"/>
        <source>label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="251"/>
        <source>random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="255"/>
        <source>schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="258"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="261"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="264"/>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="271"/>
        <source>augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="284"/>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="288"/>
        <source>precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="322"/>
        <source>Change %1</source>
        <translation>修改%1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainSettingsForm.cpp" line="365"/>
        <source>%1 (not available here)</source>
        <translation>%1（本机不可用）</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainTab</name>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="85"/>
        <source>Start Training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="85"/>
        <source>Train this network with the settings on the left</source>
        <translation>使用左侧的设置训练此网络</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="86"/>
        <location filename="../ui/train/TrainTab.cpp" line="395"/>
        <location filename="../ui/train/TrainTab.cpp" line="416"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="86"/>
        <source>Hold the run after the current batch</source>
        <translation>在当前批次结束后暂停运行</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="87"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="87"/>
        <source>End the run after the current batch; its checkpoints stay</source>
        <translation>在当前批次结束后终止运行；已保存的检查点会保留</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="94"/>
        <source>Not training.</source>
        <translation>未在训练。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="110"/>
        <source>Show Layer</source>
        <translation>显示该层</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="123"/>
        <source>Save Charts as Image…</source>
        <translation>将图表保存为图片…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="125"/>
        <source>Save Data as CSV…</source>
        <translation>将数据保存为 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="218"/>
        <source>Reading sample images…</source>
        <translation>正在读取样例图像…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="229"/>
        <source>No preview: %1</source>
        <translation>无法预览：%1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="276"/>
        <source>The network cannot be trained yet: %1 Fix it in the Design tab (see Problems), then start again.</source>
        <translation>网络暂时无法训练：%1 请在“设计”页中修正（见“问题”面板），然后重新开始。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="283"/>
        <source>The dataset &quot;%1&quot; cannot be read: %2 Choose another dataset in the Input layer&apos;s properties.</source>
        <translation>无法读取数据集“%1”：%2 请在输入层的属性中选择其他数据集。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="331"/>
        <source>This run has no checkpoint to resume from (one is written at the end of every epoch and when a run is stopped).</source>
        <translation>此运行没有可继续的检查点（每轮结束时以及停止运行时都会写入检查点）。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="563"/>
        <source>Stopped in epoch %1 at batch %2 of %3. Resume continues from exactly there.</source>
        <translation>在第 %1 轮的第 %2/%3 批停止。“继续”将从这一点精确接着训练。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="568"/>
        <source>Stopped after %n epoch(s). Resume continues from the end of the last one.</source>
        <translation>
            <numerusform>在 %n 轮后停止。“继续”将从最后一轮结束处接着训练。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="570"/>
        <source>Stopped before the first batch; nothing was trained or saved.</source>
        <translation>在第一批之前停止；没有训练也没有保存任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="572"/>
        <source>Its weights at that point (last.ncmodel) reach %1% validation accuracy and can be evaluated, inspected and exported.</source>
        <translation>此时的权重（last.ncmodel）验证准确率为 %1%，可以用于评估、检查和导出。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="341"/>
        <source>This run&apos;s record cannot be read: %1</source>
        <translation>无法读取此运行的记录：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="350"/>
        <source>This run has already trained %n epoch(s). Set Epochs above %n to continue it.</source>
        <translation>
            <numerusform>此运行已训练 %n 轮。请将“轮数”设为大于 %n 以继续。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="380"/>
        <source>Loading the dataset and building the network…</source>
        <translation>正在加载数据集并构建网络…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="395"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="403"/>
        <source>Stopping after the current batch…</source>
        <translation>将在当前批次结束后停止…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="445"/>
        <source>Training on %1 images (%2 parameters, %3)…</source>
        <translation>正在用 %1 张图像训练（%2 个参数，%3）…</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="489"/>
        <source>Epoch %1/%2 · batch %3/%4 · %5 images/s</source>
        <translation>第 %1/%2 轮 · 批次 %3/%4 · 每秒 %5 张图像</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="496"/>
        <source> · %1 left</source>
        <translation> · 剩余 %1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="500"/>
        <source> · validation accuracy %1%</source>
        <translation> · 验证准确率 %1%</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="509"/>
        <source>Paused — %1</source>
        <translation>已暂停 — %1</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="556"/>
        <source>The run failed.</source>
        <translation>运行失败。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="589"/>
        <source>Finished %n epoch(s) in %1; best validation accuracy %2% (epoch %3).</source>
        <translation>
            <numerusform>用时 %1 完成 %n 轮；最佳验证准确率 %2%（第 %3 轮）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="628"/>
        <source>Save charts as image</source>
        <translation>将图表保存为图片</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="629"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="631"/>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="636"/>
        <source>Save chart data</source>
        <translation>保存图表数据</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="637"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="640"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="140"/>
        <source>Generated images</source>
        <translation>生成的图像</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="498"/>
        <source> · validation loss %1 nats per image</source>
        <translation> · 验证损失 每张图像 %1 奈特</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainTab.cpp" line="505"/>
        <source> · D at %1 %2</source>
        <translation> · %1 处的 D %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/train/TrainTab.cpp" line="581"/>
        <source>Finished %n epoch(s) in %1; validation loss %2 nats per image (epoch %3).</source>
        <translation>
            <numerusform>已在 %1 内完成 %n 轮；验证损失 每张图像 %2 奈特（第 %3 轮）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainingCharts</name>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="61"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="62"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="63"/>
        <source>Loss terms</source>
        <translation>损失项</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="63"/>
        <source>nats</source>
        <translation>奈特</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="64"/>
        <source>D(x) vs D(G(z))</source>
        <translation>D(x) 与 D(G(z))</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="64"/>
        <source>mean D</source>
        <translation>平均 D</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="65"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="95"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="84"/>
        <source>Training (per batch)</source>
        <translation>训练（每批次）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="86"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="91"/>
        <source>Training (smoothed)</source>
        <translation>训练（平滑）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="88"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="89"/>
        <source>Validation (per epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="93"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="94"/>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="100"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="101"/>
        <source>smoothed loss</source>
        <translation>平滑损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="102"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="103"/>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="104"/>
        <source>training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="105"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="106"/>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="107"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="388"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="126"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="177"/>
        <source>%1
epoch %2: %3 = %4</source>
        <translation>%1
第 %2 轮：%3 = %4</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="210"/>
        <source>%1 (validation)</source>
        <translation>%1（验证）</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="384"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="386"/>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../ui/train/TrainingCharts.cpp" line="385"/>
        <location filename="../ui/train/TrainingCharts.cpp" line="387"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
</context>
<context>
    <name>nc::ui::TrainingLock</name>
    <message>
        <location filename="../ui/app/TrainingLock.cpp" line="40"/>
        <source>Training: the graph is locked. The running model was built from the graph as it was when training started; stop the run to edit layers or connections.</source>
        <translation>正在训练：网络图已锁定。正在运行的模型是按开始训练时的网络图构建的；停止运行后才能编辑层或连接。</translation>
    </message>
</context>
<context>
    <name>nc::ui::WindowDrop</name>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="137"/>
        <source>Drop to classify this image in the Inspect tab</source>
        <translation>松开即可在“检查”标签页中对此图像分类</translation>
    </message>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="138"/>
        <source>Drop to classify %1 in the Inspect tab</source>
        <translation>松开即可在“检查”标签页中对 %1 分类</translation>
    </message>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="140"/>
        <source>Drop to open the project %1</source>
        <translation>松开即可打开项目 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="141"/>
        <source>Drop to evaluate and inspect the model %1</source>
        <translation>松开即可评估并检查模型 %1</translation>
    </message>
    <message>
        <location filename="../ui/app/WindowDrop.cpp" line="144"/>
        <source>Drop to import the images in %1 as a dataset (on the Inspect tab: classify them all)</source>
        <translation>松开即可将 %1 中的图像导入为数据集（在“检查”标签页中：对全部图像分类）</translation>
    </message>
</context>
</TS>
