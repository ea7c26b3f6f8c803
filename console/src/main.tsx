import { render } from 'preact';
import { App } from './app.js';
import './styles/console.css';

// The page shell (console.routes.ts) has one empty root; everything else is drawn here.
render(<App />, document.getElementById('console-root')!);
