#pragma once

#include <QMainWindow>

namespace hd {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // The text of Help → About, also used by tests.
    static QString aboutText();

private:
    void createMenus();
    void showAbout();
};

} // namespace hd
